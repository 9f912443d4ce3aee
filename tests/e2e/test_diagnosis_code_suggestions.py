"""The diagnosis-code box suggests ICD-10-CM codes as one types (static/js/diagnosis_codes.js),
keeping the codes already typed; the search page works without it."""

from __future__ import annotations

from tests.e2e.browser import log_in
from tests.intake.factories import ClientFactory


def test_typing_words_offers_billable_codes_after_the_codes_already_typed(page, therapist):
    client = ClientFactory(therapist=therapist)
    log_in(page, "alice", "alice-password-1")
    page.goto(f"/clients/{client.pk}/edit/")

    page.get_by_label("Diagnosis codes (ICD-10-CM)").press_sequentially("G57.02, sciatica left")

    options = page.locator("datalist#id_diagnosis_codes-suggestions option")
    options.first.wait_for(state="attached")
    values = options.evaluate_all("(nodes) => nodes.map((n) => [n.value, n.label])")
    assert ["G57.02, M54.32", "M54.32 Sciatica, left side"] in values
    assert page.console_errors == []


def test_the_find_a_code_link_opens_the_search_that_needs_no_script(page, therapist):
    client = ClientFactory(therapist=therapist)
    log_in(page, "alice", "alice-password-1")
    page.goto(f"/clients/{client.pk}/edit/")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Find a code by words or code").click()
    search = opened.value
    search.get_by_label("Code or words").fill("M54.3")
    search.get_by_role("button", name="Search").click()
    assert search.get_by_text("Sciatica, unspecified side").is_visible()

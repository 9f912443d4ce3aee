"""The library in a real browser: the clinic manager changes a technique's
minutes and cautions, and a therapist reading the library sees the change."""

from __future__ import annotations

from playwright.sync_api import expect

from protocols.permissions import library_permissions_ensure
from protocols.services import technique_save
from tests.e2e.browser import log_in, screenshot
from tests.protocols.factories import TechniqueFactory


def test_the_managers_edit_reaches_the_therapist(browser, live_server, therapist, manager):
    # A serialized-rollback flush before this test may have emptied the role grants.
    library_permissions_ensure()
    technique = TechniqueFactory(
        name="Gentle effleurage", slug="effleurage", cautions="Light only."
    )
    technique_save(technique=technique, steps=["Warm the area.", "Glide slowly."])

    as_manager = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = as_manager.new_page()
    log_in(page, "carol", "carol-password-1")
    page.goto("/library/")
    page.get_by_role("link", name="Gentle effleurage").click()
    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Usual minutes").fill("9")
    page.get_by_role("button", name="Save changes").click()
    # Said twice: in the error summary at the top (linked to the field) and at the field.
    problem = page.get_by_text("The usual minutes must lie between the shortest and the longest")
    assert problem.count() == 2 and problem.first.is_visible()
    assert page.locator("[data-error-summary]").get_by_role("link", name="Usual minutes").count()
    page.get_by_label("Usual minutes").fill("5")
    page.get_by_label("Cautions").fill("Ask about oil allergies before you start.")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_text("Saved “Gentle effleurage”.").is_visible()
    screenshot(page, "library-technique-edited")
    as_manager.close()

    as_therapist = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = as_therapist.new_page()
    log_in(page, "alice", "alice-password-1")
    page.goto("/library/techniques/effleurage/")
    assert page.get_by_text("Ask about oil allergies before you start.").is_visible()
    assert page.get_by_text("5 (from 2 to 6)").is_visible()
    assert page.get_by_role("link", name="Edit").count() == 0
    screenshot(page, "library-technique-therapist")
    page.goto("/library/")
    expect(page.get_by_role("link", name="Gentle effleurage")).to_be_visible()
    # Typing the edit page's address does not get a therapist there either.
    response = page.goto("/library/techniques/effleurage/edit/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    assert page.get_by_label("Usual minutes").count() == 0
    as_therapist.close()

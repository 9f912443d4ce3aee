"""Every page type, checked by axe-core (0 violations at every impact level, tests/e2e/axe.py)
at four screen sizes, with a full-page screenshot of each kept in
`test-artifacts/accessibility/<size>/` for a person to look at; and by keyboard: the first
Tab reaches a visible "Skip to main content", every focused control shows where the focus is,
and no page reorders the Tab sequence with a positive tabindex.

The clinic is the demo's (seed_demo: Today has visits, one of them the red-flag client's) plus
a plan, a signed and a draft note, a cancelled visit and a library change, so each page shows
its badges, banners and tables with something in them. Forms are also sent empty, to check
their error messages. A new page type belongs in `_therapist_pages` or `_manager_pages`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from intake.models import Client
from protocols.models import Technique
from protocols.services import library_item_move
from sciatica_clinic.demo.appointments import demo_appointments_ensure
from sciatica_clinic.demo.clients import (
    DEMO_LOGINS,
    demo_cases_ensure,
    demo_clients_ensure,
    demo_users_ensure,
)
from sessions.models import Appointment
from sessions.visits.services import appointment_cancel
from tests.core.factories import user_password
from tests.e2e.axe import axe_violations, violations_text
from tests.e2e.browser import ARTIFACTS, log_in
from tests.sessions.factories import (
    AppointmentFactory,
    SessionNoteFactory,
    accepted_plan_create,
    clinic_time,
    signed_note_create,
)

VIEWPORTS = {
    "desktop-1440x900": (1440, 900),
    "laptop-1024x768": (1024, 768),
    "tablet-768x1024": (768, 1024),
    "phone-390x844": (390, 844),
}
PASSWORDS = {login.username: login.password for login in DEMO_LOGINS}


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    status: int = 200
    # Send the page's main form empty (browser validation off): its error messages are checked.
    submit_empty: bool = False


@dataclass(frozen=True)
class Clinic:
    therapist_pages: list[Page]
    manager_pages: list[Page]
    check_in_url: str


def _clinic() -> Clinic:
    call_command("library_load", verbosity=0)
    users = demo_users_ensure()
    therapist, colleague, manager = users["therapist"], users["colleague"], users["manager"]
    demo_clients_ensure(therapists=[therapist, colleague], count=8)
    demo_cases_ensure(therapist=therapist)
    for staff in (therapist, colleague):
        demo_appointments_ensure(therapist=staff)
    sarah = Client.objects.get(first_name="Sarah", last_name="Mitchell")
    tom = Client.objects.get(first_name="Tom", last_name="Becker")
    strangers = Client.objects.filter(therapist=colleague).first()
    later = Appointment.objects.filter(
        client__therapist=therapist, status=Appointment.Status.BOOKED, starts_at__gt=timezone.now()
    ).order_by("starts_at")
    sarahs_next = later.filter(client=sarah).first()
    plan = accepted_plan_create(client=sarah, therapist=therapist, appointment=sarahs_next)
    cancelled = appointment_cancel(
        appointment=later.exclude(client__in=[sarah, tom]).first(), reason="Unwell", by=manager
    )
    signed = signed_note_create(client=sarah, therapist=therapist)
    draft = SessionNoteFactory(client=sarah, therapist=therapist)
    toms_today = Appointment.objects.get(client=tom, starts_at__date=timezone.localdate())
    # Early on a Monday the demo's week has no past day yet: a completed visit of last week.
    done = Appointment.objects.filter(
        client__therapist=therapist, status=Appointment.Status.COMPLETED
    ).first() or AppointmentFactory(
        client=sarah, starts_at=clinic_time(-7, 10), status=Appointment.Status.COMPLETED
    )
    technique = Technique.objects.order_by("order")[1]
    library_item_move(item=technique, direction="up")

    def client_url(name, client, **kwargs):
        return reverse(name, kwargs={"client_id": client.pk, **kwargs})

    def visit_url(name, appointment):
        return reverse(name, kwargs={"appointment_id": appointment.pk})

    library = [
        Page("library-techniques", reverse("protocols:technique_list")),
        Page("library-technique", technique.get_absolute_url()),
        Page("library-exercises", reverse("protocols:exercise_list")),
        Page("library-stages", reverse("protocols:stage_list")),
        Page("library-templates", reverse("protocols:template_list")),
    ]
    therapist_pages = [
        Page("home", reverse("home")),
        Page("today", reverse("sessions:today")),
        Page("calendar", reverse("sessions:calendar")),
        Page("clients", reverse("intake:client_list")),
        Page("client-new", reverse("intake:client_create"), submit_empty=True),
        Page("chart", client_url("intake:client_chart", sarah)),
        Page("chart-red-flag", client_url("intake:client_chart", tom)),
        Page("client-edit", client_url("intake:client_edit", sarah)),
        Page("history-form", client_url("intake:health_history_edit", sarah)),
        Page("screenings", client_url("intake:screening_list", sarah)),
        Page("screening-form", client_url("intake:screening_create", sarah), submit_empty=True),
        Page("clearance-form", client_url("intake:clearance_create", tom), submit_empty=True),
        Page("assessments", client_url("intake:assessment_list", sarah)),
        Page("assessment-form", client_url("intake:assessment_create", sarah)),
        Page(
            "booking-form",
            reverse("sessions:appointment_book") + f"?client={sarah.pk}",
            submit_empty=True,
        ),
        Page("series-form", reverse("sessions:appointment_series_book") + f"?client={sarah.pk}"),
        Page("visit", visit_url("sessions:appointment_detail", sarahs_next)),
        Page("visit-cancelled", visit_url("sessions:appointment_detail", cancelled)),
        Page("visit-completed", visit_url("sessions:appointment_detail", done)),
        Page("visit-red-flag", visit_url("sessions:appointment_detail", toms_today)),
        Page("reschedule", visit_url("sessions:appointment_reschedule", sarahs_next)),
        Page("check-in", visit_url("sessions:appointment_check_in", toms_today)),
        Page("run-sheet", visit_url("sessions:run_sheet", sarahs_next)),
        Page("plans", client_url("sessions:plan_list", sarah)),
        Page("plan-new", client_url("sessions:plan_new", sarah)),
        Page("plan", client_url("sessions:plan_detail", sarah, plan_id=plan.pk)),
        Page("notes", client_url("sessions:note_list", sarah)),
        Page("note-start", client_url("sessions:note_create", sarah)),
        Page("note-form", client_url("sessions:note_edit", sarah, note_id=draft.pk)),
        Page("note-signed", client_url("sessions:note_detail", sarah, note_id=signed.pk)),
        *library,
        Page("not-found", client_url("intake:client_chart", strangers), status=404),
    ]
    manager_pages = [
        Page("manager-home", reverse("home")),
        Page("manager-today", reverse("sessions:today")),
        Page("manager-calendar", reverse("sessions:calendar")),
        Page("manager-chart", client_url("intake:client_chart", sarah)),
        Page("audit", reverse("audit_log")),
        Page("library-history", reverse("protocols:history")),
        Page("library-import", reverse("protocols:library_import"), submit_empty=True),
        Page(
            "library-new",
            reverse("protocols:item_create", kwargs={"kind": "techniques"}),
            submit_empty=True,
        ),
        Page(
            "library-edit",
            reverse("protocols:item_edit", kwargs={"kind": "techniques", "slug": technique.slug}),
        ),
        Page("manager-library-technique", technique.get_absolute_url()),
        Page("forbidden", client_url("intake:screening_create", sarah), status=403),
    ]
    return Clinic(
        therapist_pages, manager_pages, visit_url("sessions:appointment_check_in", toms_today)
    )


class Checker:
    """Opens pages, runs axe on each, keeps a screenshot of each; collects what axe found."""

    def __init__(self, page, size: str):
        self.page = page
        self.folder = ARTIFACTS / "accessibility" / size
        self.folder.mkdir(parents=True, exist_ok=True)
        self.found: list[str] = []

    def check(self, name: str) -> None:
        self.page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)
        violations = axe_violations(self.page)
        if violations:
            self.found.append(violations_text(name, violations))

    def visit(self, spec: Page) -> None:
        response = self.page.goto(spec.url)
        assert response.status == spec.status, f"{spec.name}: {spec.url} gave {response.status}"
        self.check(spec.name)
        if spec.submit_empty:
            self.submit_empty(spec.name)

    def submit_empty(self, name: str) -> None:
        form = self.page.locator("main form[method=post]").last
        form.evaluate("(form) => { form.noValidate = true; }")
        form.locator("[type=submit]").last.click()
        self.page.wait_for_load_state()
        self.check(f"{name}-errors")

    def log_in(self, username: str) -> None:
        log_in(self.page, username, PASSWORDS[username])

    def log_out(self) -> None:
        self.page.context.clear_cookies()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_every_page_type_has_no_accessibility_violations(page, size):
    clinic = _clinic()
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[size], strict=True)))
    checker = Checker(page, size)

    checker.visit(Page("login", reverse("login")))
    page.get_by_label("Username").fill("therapist")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    checker.check("login-errors")

    checker.log_in("therapist")
    for spec in clinic.therapist_pages:
        checker.visit(spec)
    # The red-flag client's check-in: the re-screen turns the visit into a referral.
    page.goto(clinic.check_in_url)
    for answer in page.get_by_label("No", exact=True).all():
        answer.check()
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()
    checker.check("check-in-referred")

    checker.log_out()
    checker.log_in("manager")
    for spec in clinic.manager_pages:
        checker.visit(spec)

    assert not checker.found, "axe found:\n" + "\n".join(checker.found)


# What the focused element looks like: enough to tell whether the focus can be seen.
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 40),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    visible: box.width > 0 && box.height > 0,
    // The focus is inside the element's own browser parts (a date field's calendar button),
    // which the browser rings itself.
    inner: !el.matches(":focus"),
  };
}"""
TABS_PER_PAGE = 25


def _tab_through(page, name: str) -> list[str]:
    """Problems with the keyboard focus on the page: a positive tabindex, a focused control
    that cannot be seen or shows no focus ring, in the first TABS_PER_PAGE stops."""
    problems = []
    if page.locator("[tabindex]:not([tabindex^='-']):not([tabindex='0'])").count():
        problems.append(f"{name}: a positive tabindex changes the Tab order")
    for stop in range(TABS_PER_PAGE):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            break
        where = f"{name}: Tab {stop + 1} ({focused['tag']} {focused['text']!r})"
        if not focused["visible"]:
            problems.append(f"{where} is not visible")
        elif not (focused["outline"] or focused["shadow"] or focused["inner"]):
            problems.append(f"{where} shows no focus ring")
    return problems


def test_the_skip_link_is_the_first_tab_stop_and_moves_to_the_main_content(page, therapist):
    log_in(page, therapist.username, user_password(therapist.username))
    page.goto(reverse("sessions:today"))
    skip = page.locator(".skip-link")
    assert not skip.is_visible() or skip.bounding_box()["width"] <= 1  # out of sight until focused

    page.keyboard.press("Tab")

    assert page.evaluate("() => document.activeElement.textContent.trim()") == (
        "Skip to main content"
    )
    box = skip.bounding_box()
    assert box["width"] > 50 and box["height"] > 20 and box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"
    page.keyboard.press("Tab")
    # The next stop is inside the main content, past the navigation.
    assert page.evaluate("() => document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("size", ["desktop-1440x900", "phone-390x844"])
def test_every_page_type_shows_where_the_keyboard_focus_is(page, size):
    clinic = _clinic()
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[size], strict=True)))
    # Bootstrap fades its focus rings in; with reduced motion (which it honours) they are
    # there at once, so a check right after the Tab sees what a user sees a moment later.
    page.emulate_media(reduced_motion="reduce")
    checker = Checker(page, size)
    problems = []
    page.goto(reverse("login"))
    problems += _tab_through(page, "login")
    checker.log_in("therapist")
    for spec in clinic.therapist_pages:
        page.goto(spec.url)
        problems += _tab_through(page, spec.name)
    checker.log_out()
    checker.log_in("manager")
    for spec in clinic.manager_pages:
        page.goto(spec.url)
        problems += _tab_through(page, spec.name)
    assert not problems, "\n".join(problems)


# ---- A flow by keyboard alone -----------------------------------------------------------------

_ACTIVE = """() => {
  const el = document.activeElement;
  const label = el.labels && el.labels.length ? el.labels[0].innerText : "";
  return {
    tag: el.tagName.toLowerCase(), type: el.type || "", name: el.name || "",
    checked: !!el.checked, label: label.trim(),
    text: (el.innerText || el.value || el.getAttribute("aria-label") || "").trim(),
    answered: el.type === "radio" && !!document.querySelector(`input[name="${el.name}"]:checked`),
  };
}"""


def _tab_to(page, text: str, limit: int = 120) -> None:
    """Press Tab until the focus is on the control reading `text`, as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(_ACTIVE)["text"] == text:
            return
    raise AssertionError(f"{text!r} cannot be reached with Tab")


def _enter(page) -> None:
    """Press Enter on the focused link or button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_therapist_logs_in_and_screens_a_client_with_the_keyboard_alone(page):
    _clinic()
    sarah = Client.objects.get(first_name="Sarah", last_name="Mitchell")
    screenings = sarah.screenings.count()
    page.goto(reverse("login"))
    page.keyboard.type("therapist")  # the username field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORDS["therapist"])
    _enter(page)

    _tab_to(page, "My clients")
    _enter(page)
    _tab_to(page, "Mitchell, Sarah")
    _enter(page)
    _tab_to(page, "New screening")
    _enter(page)

    # Every yes/no question answered "No" with the arrow keys, then saved with Enter.
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(_ACTIVE)
        if focused["type"] == "submit" and focused["text"].startswith("Save"):
            break
        if focused["name"] == "carried_confirmed" and not focused["checked"]:
            page.keyboard.press("Space")  # the lasting answers carried over: still true
        if focused["type"] == "radio" and not focused["answered"]:
            page.keyboard.press("Space")
            if page.evaluate(_ACTIVE)["label"] != "No":
                page.keyboard.press("ArrowRight")
            assert page.evaluate(_ACTIVE)["label"] == "No"
    else:
        raise AssertionError("the Save button cannot be reached with Tab")
    # The first button is the guided "Save and continue": saved, and on to the tests.
    assert page.evaluate(_ACTIVE)["text"].startswith("Save and continue")
    _enter(page)
    assert page.get_by_role("heading", name="Assessment tests").is_visible()
    assert sarah.screenings.count() == screenings + 1

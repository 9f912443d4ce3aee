"""A therapist logs in with a real browser; the page loads its assets without CSP errors."""

from playwright.sync_api import expect

from tests.e2e.browser import log_in, screenshot


def test_a_therapist_logs_in_and_sees_the_home_page(page, therapist):
    log_in(page, "alice", "alice-password-1")
    assert page.get_by_role("heading", name="Welcome, Alice").is_visible()
    # Bootstrap's stylesheet came from the app itself: the navbar is styled.
    assert page.locator("nav.navbar").evaluate("e => getComputedStyle(e).display") == "flex"
    screenshot(page, "home-therapist")
    assert page.console_errors == []


def test_a_wrong_password_shows_a_message_in_the_browser(page, therapist):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    # expect() waits for the answer page; is_visible() would race the form submission.
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()

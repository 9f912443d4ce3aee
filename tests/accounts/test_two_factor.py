"""Two-factor sign-in (TOTP with django-otp): set up by scanning a QR code, asked for after
the password, recovery codes for a lost phone, required of all staff by the manager."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import clinic_profile_update
from accounts.two_factor import recovery_codes_new, totp_device_confirm
from accounts.two_factor_views import CODE_WRONG, SETUP_CODE_WRONG, TURN_OFF_REFUSED

pytestmark = pytest.mark.django_db

KEY = "3132333435363738393031323334353637383930"


def _code(key_hex: str, offset_steps: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6)
    totp.time = time.time() + offset_steps * 30
    return f"{totp.token():06d}"


def _html(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def _sign_in(username="alice", password="alice-password-1", next_url=""):
    browser = HttpClient()
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    response = browser.post(url, {"username": username, "password": password, "next": next_url})
    assert response.status_code == 302, _html(response)
    return browser


def _require(on: bool = True):
    clinic_profile_update(
        name="Sciatica Clinic", address="", phone="", email="", two_factor_required=on
    )


def test_setting_up_with_the_qr_code(therapist):
    browser = _sign_in()
    page = browser.get(reverse("accounts:two_factor_setup"))
    html = _html(page)
    assert 'src="data:image/svg+xml' in html  # the QR code, inline
    secret = re.search(r'class="two-factor-secret">([A-Z2-7 =]+)<', html).group(1)
    key = browser.session["_two_factor_setup_key"]
    import base64

    assert base64.b32decode(secret.replace(" ", "")).hex() == key
    wrong = browser.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert SETUP_CODE_WRONG in _html(wrong)
    assert not TOTPDevice.objects.exists()
    done = browser.post(reverse("accounts:two_factor_setup"), {"code": _code(key)})
    codes = re.findall(r'<li class="col">([a-z0-9]+)</li>', _html(done))
    assert len(codes) == 10
    device = TOTPDevice.objects.get(user=therapist)
    assert device.confirmed and device.key == key
    # This session is verified: pages open.
    assert browser.get(reverse("home")).status_code == 200


def test_showing_the_setup_page_writes_nothing(therapist):
    browser = _sign_in()
    browser.get(reverse("accounts:two_factor_setup"))
    assert not TOTPDevice.objects.exists()


@pytest.fixture
def enrolled(therapist):
    totp_device_confirm(user=therapist, key_hex=KEY)
    return recovery_codes_new(therapist)


def test_with_an_authenticator_the_password_alone_opens_nothing(enrolled):
    browser = _sign_in(next_url="/clients/")
    response = browser.get("/clients/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_verify") + "?next=%2Fclients%2F"
    page = browser.get(response["Location"])
    assert "Type your code" in _html(page)
    wrong = browser.post(response["Location"], {"code": "123456", "next": "/clients/"})
    assert CODE_WRONG in _html(wrong)
    _throttle_forget()
    right = browser.post(response["Location"], {"code": _code(KEY), "next": "/clients/"})
    assert right.status_code == 302 and right["Location"] == "/clients/"
    assert browser.get("/clients/").status_code == 200


def test_a_code_from_the_previous_step_is_accepted_but_not_one_from_long_ago(enrolled):
    browser = _sign_in()
    old = browser.post(reverse("accounts:two_factor_verify"), {"code": _code(KEY, -5)})
    assert CODE_WRONG in _html(old)
    _throttle_forget()
    recent = browser.post(reverse("accounts:two_factor_verify"), {"code": _code(KEY, -1)})
    assert recent.status_code == 302


def _throttle_forget():
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)


def test_wrong_codes_in_a_row_are_slowed_down(enrolled):
    browser = _sign_in()
    for _ in range(3):
        browser.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
        TOTPDevice.objects.update(throttling_failure_timestamp=None)  # as if typed slowly
    assert TOTPDevice.objects.get().throttling_failure_count == 3
    browser.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
    # The 4th wrong code locks for 2**3 seconds: even the right code waits.
    response = browser.post(reverse("accounts:two_factor_verify"), {"code": _code(KEY)})
    assert re.search(r"Too many wrong codes in a row: wait [5-9] second", _html(response))
    assert browser.get(reverse("home")).status_code == 302


def test_a_recovery_code_works_once(enrolled):
    browser = _sign_in()
    response = browser.post(reverse("accounts:two_factor_verify"), {"code": enrolled[0]})
    assert response.status_code == 302
    assert StaticToken.objects.count() == 9
    again = _sign_in()
    assert CODE_WRONG in _html(
        again.post(reverse("accounts:two_factor_verify"), {"code": enrolled[0]})
    )


def test_setting_up_again_needs_the_current_code_first(enrolled):
    """A stolen password must not be enough to replace the authenticator."""
    browser = _sign_in()
    response = browser.get(reverse("accounts:two_factor_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_the_manager_requires_it_and_staff_without_an_app_set_it_up(therapist, manager_client):
    response = manager_client.post(
        reverse("accounts:clinic_profile"),
        {"name": "Sciatica Clinic", "two_factor_required": "on"},
    )
    assert response.status_code == 302
    browser = _sign_in()
    home = browser.get(reverse("home"))
    assert home["Location"].startswith(reverse("accounts:two_factor_setup"))
    page = browser.get(home["Location"])
    assert "requires a second step at sign-in for all staff" in _html(page)
    key = browser.session["_two_factor_setup_key"]
    browser.post(home["Location"], {"code": _code(key)})
    assert browser.get(reverse("home")).status_code == 200
    # It cannot be turned off while required.
    off = browser.post(reverse("accounts:two_factor_off"), follow=True)
    assert TURN_OFF_REFUSED in _html(off)
    assert TOTPDevice.objects.filter(user=therapist).exists()


def test_signing_out_stays_possible_before_the_code(enrolled):
    browser = _sign_in()
    assert browser.post(reverse("logout")).status_code == 302
    assert browser.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_turning_it_off_when_not_required(enrolled, therapist):
    browser = _sign_in()
    browser.post(reverse("accounts:two_factor_verify"), {"code": _code(KEY)})
    browser.post(reverse("accounts:two_factor_off"))
    assert not TOTPDevice.objects.filter(user=therapist).exists()
    assert _sign_in().get(reverse("home")).status_code == 200


def test_the_manager_resets_a_lost_phone(enrolled, therapist, manager_client):
    response = manager_client.post(
        reverse("staff_two_factor_reset", args=[therapist.pk]), follow=True
    )
    assert "Alice's two-factor sign-in is reset" in _html(response)
    assert not TOTPDevice.objects.filter(user=therapist).exists()
    assert not StaticToken.objects.exists()
    _require()
    browser = _sign_in()
    assert browser.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_new_recovery_codes_replace_the_old(enrolled, therapist):
    browser = _sign_in()
    browser.post(reverse("accounts:two_factor_verify"), {"code": _code(KEY)})
    page = browser.post(reverse("accounts:two_factor_recovery_codes"))
    codes = re.findall(r'<li class="col">([a-z0-9]+)</li>', _html(page))
    assert len(codes) == 10 and not set(codes) & set(enrolled)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(codes)


def test_without_two_factor_pages_cost_no_extra_query(
    therapist_client, django_assert_max_num_queries
):
    therapist_client.get(reverse("home"))
    with django_assert_max_num_queries(4):
        assert therapist_client.get(reverse("accounts:password_change")).status_code == 200

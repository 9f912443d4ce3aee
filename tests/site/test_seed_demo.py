from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from billing.models import ProcedureCode
from intake.models import Client

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_documented_logins_and_clients():
    call_command("seed_demo", clients=10)
    therapist = User.objects.get(username="therapist")
    assert therapist.check_password("demo-therapist-pass")
    assert therapist.groups.filter(name="Therapist").exists()
    assert User.objects.get(username="manager").groups.filter(name="Clinic manager").exists()
    assert Client.objects.count() == 10


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", clients=10)
    before = (User.objects.count(), Client.objects.count())
    call_command("seed_demo", clients=10)
    assert (User.objects.count(), Client.objects.count()) == before


def test_seed_demo_scales_up_to_the_requested_number():
    call_command("seed_demo", clients=5)
    call_command("seed_demo", clients=25)
    assert Client.objects.count() == 25


def test_seed_demo_sets_up_the_fee_schedule_once_and_keeps_the_managers_changes():
    call_command("seed_demo", clients=0)
    assert set(ProcedureCode.objects.values_list("code", flat=True)) == {
        "97110",
        "97112",
        "97124",
        "97140",
    }
    ProcedureCode.objects.filter(code="97124").update(fee=Decimal("40.00"))
    call_command("seed_demo", clients=0)
    assert ProcedureCode.objects.get(code="97124").fee == Decimal("40.00")

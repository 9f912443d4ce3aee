import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

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

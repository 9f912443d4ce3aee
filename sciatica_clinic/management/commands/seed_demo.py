from django.core.management.base import BaseCommand

from sciatica_clinic.demo.appointments import demo_appointments_ensure
from sciatica_clinic.demo.billing import demo_fees_ensure
from sciatica_clinic.demo.clients import (
    DEMO_LOGINS,
    demo_cases_ensure,
    demo_clients_ensure,
    demo_users_ensure,
)


class Command(BaseCommand):
    help = (
        "Create the demo logins and fake clients. Safe to run again: it adds only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--clients", type=int, default=12, help="Total demo clients wanted (default 12)."
        )

    def handle(self, *args, clients: int, **options):
        if clients < 0:
            self.stderr.write("--clients must be 0 or more.")
            raise SystemExit(2)
        users = demo_users_ensure()
        therapists = [users["therapist"], users["colleague"]]
        added = demo_clients_ensure(therapists=therapists, count=clients)
        self.stdout.write(f"Demo clients added: {added}.")
        cases = demo_cases_ensure(therapist=users["therapist"])
        if cases:
            self.stdout.write(f"Demo intake cases written: {cases}.")
        booked = sum(demo_appointments_ensure(therapist=therapist) for therapist in therapists)
        self.stdout.write(f"Demo appointments booked: {booked}.")
        fees = demo_fees_ensure()
        if fees:
            self.stdout.write(f"Demo fee schedule codes added: {fees}.")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role:<15} {login.username} / {login.password}")

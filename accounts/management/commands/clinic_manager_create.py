"""Create the clinic's first manager: the one account made outside the app. Every other
account is added on the Staff page by a manager.

    manage.py clinic_manager_create              asks for name, email and password
    manage.py clinic_manager_create --no-input   reads them from the environment:
        CLINIC_MANAGER_EMAIL, CLINIC_MANAGER_PASSWORD, CLINIC_MANAGER_FIRST_NAME,
        CLINIC_MANAGER_LAST_NAME, and optionally CLINIC_MANAGER_USERNAME

Safe to run again (automation): once the clinic has an active manager it changes nothing.
"""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from accounts.services import email_in_use, staff_create, username_from_email
from core.roles import MANAGER

ENV_PREFIX = "CLINIC_MANAGER_"
FIELDS = (
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "Email"),
)
ALREADY = (
    "The clinic already has a manager ({username}): nothing changed. Add staff on the Staff page."
)


class Command(BaseCommand):
    help = "Create the clinic's first manager (interactive, or from CLINIC_MANAGER_* variables)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Read everything from the CLINIC_MANAGER_* environment variables.",
        )

    def handle(self, *args, interactive: bool, **options):
        existing = User.objects.filter(groups__name=MANAGER, is_active=True).order_by("pk").first()
        if existing is not None:
            self.stdout.write(ALREADY.format(username=existing.username))
            return
        values = self._ask() if interactive else self._from_environment()
        user = staff_create(role=MANAGER, **values)
        self.stdout.write(
            self.style.SUCCESS(
                f"Clinic manager {user.get_full_name()} created: sign in as "
                f"'{user.username}' with the password given."
            )
        )

    def _from_environment(self) -> dict:
        values = {name: os.environ.get(ENV_PREFIX + name.upper(), "").strip() for name, _ in FIELDS}
        values["password"] = os.environ.get(ENV_PREFIX + "PASSWORD", "")
        values["username"] = os.environ.get(ENV_PREFIX + "USERNAME", "").strip()
        missing = [
            ENV_PREFIX + name.upper()
            for name in ("first_name", "last_name", "email", "password")
            if not values[name]
        ]
        if missing:
            raise CommandError(f"Set {', '.join(missing)} in the environment.")
        problems = self._problems(values)
        if problems:
            raise CommandError(" ".join(problems))
        return values

    def _problems(self, values: dict) -> list[str]:
        problems = []
        try:
            validate_email(values["email"])
        except ValidationError:
            problems.append(f"Email: '{values['email']}' is not an email address.")
        else:
            if email_in_use(values["email"]):
                problems.append(f"Email: an account already uses {values['email']}.")
        username = values.get("username") or username_from_email(values["email"])
        if User.objects.filter(username__iexact=username).exists():
            problems.append(f"Username: '{username}' is taken.")
        candidate = User(
            username=username,
            first_name=values["first_name"],
            last_name=values["last_name"],
            email=values["email"],
        )
        try:
            password_validation.validate_password(values["password"], candidate)
        except ValidationError as error:
            problems.extend(f"Password: {message}" for message in error.messages)
        return problems

    def _ask(self) -> dict:
        values: dict = {"username": ""}
        for name, label in FIELDS:
            while not values.get(name):
                values[name] = input(f"{label}: ").strip()
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The two passwords differ: type them again.")
                continue
            values["password"] = password
            problems = self._problems(values)
            if not problems:
                return values
            for problem in problems:
                self.stderr.write(problem)
            if any(not problem.startswith("Password") for problem in problems):
                raise CommandError("Fix the details above and run the command again.")

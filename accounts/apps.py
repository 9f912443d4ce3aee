from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts, sign-in and the clinic's own details: the staff page, passwords,
    two-factor sign-in, email, and the clinic profile printed on every document.

    Just above `core` (README "Design"): it knows staff and roles, no client record. Moving a
    departing therapist's clients is the top layer's (`sciatica_clinic/reassign.py`), which
    knows both.
    """

    name = "accounts"
    verbose_name = "Staff accounts"

    def ready(self):
        # Signal receivers: the profile cache's, and two-factor's at sign-in.
        from accounts import clinic, two_factor  # noqa: F401

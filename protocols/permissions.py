"""Who may do what with the library: therapists read it, the clinic manager curates it.

Granted by a data migration, and again after every migrate or flush (a transactional
test's flush empties the group-permission table but keeps the migration history).
"""

from __future__ import annotations

from core.roles import MANAGER, THERAPIST, grant_permissions

LIBRARY_MODELS = ("technique", "techniquestep", "sessiontemplate", "carestage", "homecareexercise")
VIEW_CODENAMES = [f"view_{model}" for model in LIBRARY_MODELS]
# The manager adds and changes; nobody deletes: retired rows stay for old plans and notes.
EDIT_CODENAMES = [f"{action}_{model}" for model in LIBRARY_MODELS for action in ("add", "change")]

# What the pages check, as "app_label.codename".
CURATE_LIBRARY = [f"protocols.{codename}" for codename in EDIT_CODENAMES]


def library_permissions_grant(apps) -> None:
    grant_permissions(apps, THERAPIST, "protocols", VIEW_CODENAMES)
    grant_permissions(apps, MANAGER, "protocols", VIEW_CODENAMES + EDIT_CODENAMES)


def library_permissions_ensure(*, apps=None, **kwargs) -> None:
    """post_migrate handler; flush sends the signal without `apps`."""
    from django.apps import apps as installed_apps

    apps = apps or installed_apps
    try:
        apps.get_app_config("protocols")
    except LookupError:
        # `migrate <another app>` on a fresh database: the library is not migrated yet.
        return
    library_permissions_grant(apps)

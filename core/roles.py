"""The two staff roles (clinical rules §1): therapists and the clinic manager.

Roles are auth groups, created by a data migration. Apps grant their own permissions to
the groups in their own data migrations with `grant_permissions`.
"""

from __future__ import annotations

THERAPIST = "Therapist"
MANAGER = "Clinic manager"
ROLES = (THERAPIST, MANAGER)


def roles_ensure(**kwargs) -> None:
    """Create the role groups if missing (post_migrate handler, also after a test flush)."""
    from django.contrib.auth.models import Group

    for name in ROLES:
        Group.objects.get_or_create(name=name)


def user_is_manager(user) -> bool:
    """True for the clinic manager (or a superuser). Cached on the user for the request."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_manager"):
        user._is_manager = user.is_superuser or user.groups.filter(name=MANAGER).exists()
    return user._is_manager


def grant_permissions(apps, role: str, app_label: str, codenames: list[str]) -> None:
    """For data migrations: give `role` the named permissions of `app_label`.

    Permissions are normally created after migrate; create them now so the grant can happen.
    """
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    if not hasattr(app_config, "models_module"):
        # Migration state holds app stubs without `models_module`, which create_permissions
        # reads to skip apps without models.
        app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=role)
    perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    missing = set(codenames) - set(perms.values_list("codename", flat=True))
    if missing:
        raise LookupError(f"Unknown permissions for {app_label}: {sorted(missing)}")
    group.permissions.add(*perms)

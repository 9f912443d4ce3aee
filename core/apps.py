from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """The bottom layer: staff roles, the audit trail and the clinical vocabulary.

    It imports no other app of the project; every other app may import it. Its label is
    "sciatica_clinic", the label these tables and migrations were created under, so moving the
    code here needed no data migration.
    """

    name = "core"
    label = "sciatica_clinic"
    verbose_name = "Sciatica Clinic core"

    def ready(self):
        from core.roles import roles_ensure

        # The data migration creates the roles once; this brings them back after a flush
        # (transactional tests) and on any database migrated before they existed.
        # Listen for auth's post_migrate: the groups belong with the users.
        post_migrate.connect(
            roles_ensure, sender=apps.get_app_config("auth"), dispatch_uid="roles_ensure"
        )

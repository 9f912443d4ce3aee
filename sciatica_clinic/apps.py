from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class SciaticaClinicConfig(AppConfig):
    name = "sciatica_clinic"
    verbose_name = "Sciatica Clinic"

    def ready(self):
        from sciatica_clinic.roles import roles_ensure

        # The data migration creates the roles once; this brings them back after a flush
        # (transactional tests) and on any database migrated before they existed.
        # Listen for auth's post_migrate: the groups belong with the users.
        post_migrate.connect(
            roles_ensure, sender=apps.get_app_config("auth"), dispatch_uid="roles_ensure"
        )

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ProtocolsConfig(AppConfig):
    name = "protocols"
    verbose_name = "Protocol library"

    def ready(self):
        from protocols.permissions import library_permissions_ensure

        post_migrate.connect(
            library_permissions_ensure, sender=self, dispatch_uid="library_permissions_ensure"
        )

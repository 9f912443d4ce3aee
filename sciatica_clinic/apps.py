from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top layer: URL routing, the home page, the audit page, error pages, demo data.

    It may import every app; no app imports it.
    """

    name = "sciatica_clinic"
    label = "site"
    verbose_name = "Sciatica Clinic"

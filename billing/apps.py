from django.apps import AppConfig


class BillingConfig(AppConfig):
    """Documentation that gets paid (clinical rules §9): procedure codes, fees, payments and
    superbills. Above `sessions` (it bills the charted visit), below `sciatica_clinic`."""

    name = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from billing.chart_panels import chart_panels_register

        chart_panels_register()

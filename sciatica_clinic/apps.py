from django.apps import AppConfig


class SciaticaClinicConfig(AppConfig):
    name = "sciatica_clinic"
    verbose_name = "Sciatica Clinic"

"""A URL that fails on purpose, to see what a user is shown when the server errs."""

from django.db import OperationalError
from django.urls import include, path


def boom(request):
    raise RuntimeError("secret internal detail: table visits_sessionnote")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly (secret internal detail)")


urlpatterns = [
    path("boom/", boom),
    path("database-gone/", database_gone),
    path("", include("sciatica_clinic.urls")),
]

handler500 = "sciatica_clinic.views.error_500"

"""A URL that fails on purpose, to see what a user is shown when the server errs."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("secret internal detail: table visits_sessionnote")


urlpatterns = [path("boom/", boom), path("", include("sciatica_clinic.urls"))]

handler500 = "sciatica_clinic.views.error_500"

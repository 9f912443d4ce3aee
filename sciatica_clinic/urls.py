from django.contrib.auth import views as auth_views
from django.urls import include, path

from sciatica_clinic import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("audit/", views.audit_log, name="audit_log"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("clients/", include("intake.urls")),
    path("library/", include("protocols.urls")),
    path("sessions/", include("sessions.urls")),
    path("billing/", include("billing.urls")),
]

handler403 = "sciatica_clinic.views.error_403"
handler404 = "sciatica_clinic.views.error_404"
handler500 = "sciatica_clinic.views.error_500"

from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from sciatica_clinic import staff_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("audit/", views.audit_log, name="audit_log"),
    path("staff/", staff_views.staff_list, name="staff_list"),
    path("staff/add/", staff_views.staff_add, name="staff_add"),
    path("staff/<int:staff_id>/", staff_views.staff_edit, name="staff_edit"),
    path(
        "staff/<int:staff_id>/deactivate/",
        staff_views.staff_deactivate_view,
        name="staff_deactivate",
    ),
    path(
        "staff/<int:staff_id>/reactivate/",
        staff_views.staff_reactivate_view,
        name="staff_reactivate",
    ),
    path("staff/<int:staff_id>/send-link/", staff_views.staff_invite, name="staff_invite"),
    path(
        "staff/<int:staff_id>/two-factor-reset/",
        staff_views.staff_two_factor_reset,
        name="staff_two_factor_reset",
    ),
    path("staff/<int:staff_id>/hand-over/", staff_views.staff_reassign, name="staff_reassign"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("clients/", include("intake.urls")),
    path("intake/", include("intake.portal.urls")),
    path("library/", include("protocols.urls")),
    path("sessions/", include("sessions.urls")),
    path("billing/", include("billing.urls")),
]

handler403 = "sciatica_clinic.views.error_403"
handler404 = "sciatica_clinic.views.error_404"
handler500 = "sciatica_clinic.views.error_500"

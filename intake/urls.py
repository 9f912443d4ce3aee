from django.urls import path

from intake import diagnosis_views, outcome_views, views
from intake.portal import views as portal_views

app_name = "intake"

urlpatterns = [
    path("", views.client_list, name="client_list"),
    path("new/", views.client_create, name="client_create"),
    path(
        "diagnosis-codes/",
        diagnosis_views.diagnosis_code_search,
        name="diagnosis_code_search",
    ),
    path("<int:client_id>/", views.client_chart, name="client_chart"),
    path("<int:client_id>/edit/", views.client_edit, name="client_edit"),
    path("<int:client_id>/history/", views.health_history_edit, name="health_history_edit"),
    path("<int:client_id>/screenings/", views.screening_list, name="screening_list"),
    path("<int:client_id>/screenings/new/", views.screening_create, name="screening_create"),
    path("<int:client_id>/clearances/new/", views.clearance_create, name="clearance_create"),
    path("<int:client_id>/assessments/", views.assessment_list, name="assessment_list"),
    path("<int:client_id>/assessments/new/", views.assessment_create, name="assessment_create"),
    path("<int:client_id>/outcomes/psfs/new/", outcome_views.psfs_create, name="psfs_create"),
    path(
        "<int:client_id>/outcomes/oswestry/new/",
        outcome_views.oswestry_create,
        name="oswestry_create",
    ),
    path(
        "<int:client_id>/intake-links/new/",
        portal_views.intake_link_issue,
        name="intake_link_issue",
    ),
    path(
        "<int:client_id>/intake-links/<int:link_id>/revoke/",
        portal_views.intake_link_revoke,
        name="intake_link_revoke",
    ),
    path(
        "<int:client_id>/intake-forms/<int:submission_id>/",
        portal_views.intake_submission_review,
        name="intake_submission_review",
    ),
]

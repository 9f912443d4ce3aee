from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("procedure-codes/", views.procedure_codes, name="procedure_codes"),
    path("providers/", views.providers, name="providers"),
    path("clients/<int:client_id>/", views.client_billing, name="client_billing"),
    path(
        "clients/<int:client_id>/superbill.pdf",
        views.superbill_range_pdf,
        name="superbill_range_pdf",
    ),
    path(
        "clients/<int:client_id>/record-export.zip",
        views.record_export,
        name="record_export",
    ),
    path(
        "clients/<int:client_id>/progress-report.pdf",
        views.progress_report_pdf,
        name="progress_report_pdf",
    ),
    path(
        "clients/<int:client_id>/visits/<int:note_id>/superbill.pdf",
        views.superbill_pdf_view,
        name="superbill_pdf",
    ),
    path(
        "clients/<int:client_id>/visits/<int:note_id>/payments/new/",
        views.payment_create,
        name="payment_create",
    ),
]

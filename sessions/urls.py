from django.urls import path

from sessions.booking import views as booking_views
from sessions.charting import views as charting_views
from sessions.documents import views as pdf_views
from sessions.planning import views as planning_views
from sessions.visits import views as visit_views
from sessions.visits import workspace as visit_workspace

app_name = "sessions"

urlpatterns: list = [
    # Booking
    path("today/", booking_views.today, name="today"),
    path("calendar/", booking_views.calendar, name="calendar"),
    path("calendar/day/", booking_views.calendar_day, name="calendar_day"),
    path("appointments/book/", booking_views.appointment_book, name="appointment_book"),
    path(
        "appointments/book/series/",
        booking_views.appointment_series_book,
        name="appointment_series_book",
    ),
    path(
        "appointments/book/series/result/",
        booking_views.appointment_series_result,
        name="appointment_series_result",
    ),
    path(
        "appointments/<int:appointment_id>/",
        visit_views.appointment_detail,
        name="appointment_detail",
    ),
    path(
        "appointments/<int:appointment_id>/plan/accept/",
        visit_workspace.visit_plan_accept,
        name="visit_plan_accept",
    ),
    path(
        "appointments/<int:appointment_id>/reschedule/",
        visit_views.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path(
        "appointments/<int:appointment_id>/cancel/",
        visit_views.appointment_cancel,
        name="appointment_cancel",
    ),
    path(
        "appointments/<int:appointment_id>/declined/",
        visit_views.appointment_refuse,
        name="appointment_refuse",
    ),
    path(
        "appointments/<int:appointment_id>/no-show/",
        visit_views.appointment_no_show,
        name="appointment_no_show",
    ),
    path(
        "appointments/<int:appointment_id>/check-in/",
        visit_views.appointment_check_in,
        name="appointment_check_in",
    ),
    path(
        "appointments/<int:appointment_id>/run-sheet/",
        visit_views.run_sheet,
        name="run_sheet",
    ),
    path(
        "appointments/<int:appointment_id>/run-sheet/clock/",
        visit_views.run_sheet_clock,
        name="run_sheet_clock",
    ),
    path(
        "appointments/<int:appointment_id>/complete/",
        visit_views.appointment_complete,
        name="appointment_complete",
    ),
    # SOAP charting
    path("clients/<int:client_id>/notes/", charting_views.note_list, name="note_list"),
    path("clients/<int:client_id>/notes/new/", charting_views.note_create, name="note_create"),
    path(
        "clients/<int:client_id>/notes/<int:note_id>/",
        charting_views.note_detail,
        name="note_detail",
    ),
    path(
        "clients/<int:client_id>/notes/<int:note_id>/edit/",
        charting_views.note_edit,
        name="note_edit",
    ),
    path(
        "clients/<int:client_id>/notes/<int:note_id>/sign/",
        charting_views.note_sign,
        name="note_sign",
    ),
    path(
        "clients/<int:client_id>/notes/<int:note_id>/amend/",
        charting_views.note_amend,
        name="note_amend",
    ),
    path(
        "clients/<int:client_id>/notes/<int:note_id>/pdf/",
        pdf_views.note_pdf,
        name="note_pdf",
    ),
    path(
        "clients/<int:client_id>/referral-letter.pdf",
        pdf_views.referral_letter,
        name="referral_letter",
    ),
    path(
        "clients/<int:client_id>/home-care.pdf",
        pdf_views.home_care_sheet,
        name="home_care_sheet",
    ),
    # Session plans
    path("clients/<int:client_id>/plans/", planning_views.plan_list, name="plan_list"),
    path("clients/<int:client_id>/plans/new/", planning_views.plan_new, name="plan_new"),
    path("clients/<int:client_id>/plans/review/", planning_views.plan_review, name="plan_review"),
    path(
        "clients/<int:client_id>/plans/<int:plan_id>/",
        planning_views.plan_detail,
        name="plan_detail",
    ),
]

from django.urls import path

from sessions import charting_views

app_name = "sessions"

urlpatterns: list = [
    # SOAP charting (issue 6)
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
]

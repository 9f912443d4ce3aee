from django.urls import path, register_converter

from protocols import views


class LibraryKindConverter:
    """The kinds of item the shared create/edit/retire/move pages handle."""

    regex = "techniques|exercises|stages|templates"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LibraryKindConverter, "library_kind")

app_name = "protocols"
urlpatterns = [
    # "new" comes before the detail pages: `SlugFromNameMixin` keeps "new" from being a slug.
    path("<library_kind:kind>/new/", views.item_create, name="item_create"),
    path("", views.technique_list, name="technique_list"),
    path("techniques/<slug:slug>/", views.technique_detail, name="technique_detail"),
    path("exercises/", views.exercise_list, name="exercise_list"),
    path("exercises/<slug:slug>/", views.exercise_detail, name="exercise_detail"),
    path("stages/", views.stage_list, name="stage_list"),
    path("stages/<slug:slug>/", views.stage_detail, name="stage_detail"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<slug:slug>/", views.template_detail, name="template_detail"),
    path("history/", views.history, name="history"),
    path("export/", views.library_download, name="library_export"),
    path("import/", views.library_upload, name="library_import"),
    path("<library_kind:kind>/<slug:slug>/edit/", views.item_edit, name="item_edit"),
    path("<library_kind:kind>/<slug:slug>/retire/", views.item_retire, name="item_retire"),
    path("<library_kind:kind>/<slug:slug>/move/", views.item_move, name="item_move"),
]

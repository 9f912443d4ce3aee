from django.urls import path

from intake.portal import views

app_name = "portal"

# The client's pages: no login, the token is the only key.
urlpatterns = [
    path("<str:token>/", views.intake_form, name="intake_form"),
    path("<str:token>/sent/", views.intake_sent, name="intake_sent"),
]

from django.apps import AppConfig


class SessionsConfig(AppConfig):
    """Booking, planning, charting and PDFs.

    The label is "visits", not "sessions": django.contrib.sessions owns that label
    (docs/engineering-notes.md "The sessions app label"). Use "visits" in migrations and model strings.
    """

    name = "sessions"
    label = "visits"
    verbose_name = "Sessions"

    def ready(self):
        from sessions.chart_panels import chart_panels_register

        chart_panels_register()

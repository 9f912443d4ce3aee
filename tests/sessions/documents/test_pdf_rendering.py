import socket
import subprocess
import sys

import pytest

from sessions.documents import pdfs
from tests.sessions.documents.pdf_text import pdf_font_names, pdf_text

HOSTILE_NAME = "Zoë Ñúñez-O'Brien"
HOSTILE_TEXT = "<img src=http://127.0.0.1:9/>"


@pytest.fixture
def listening_port():
    """A local port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def _connections(server) -> int:
    count = 0
    while True:
        try:
            conn, _ = server.accept()
        except BlockingIOError:
            return count
        conn.close()
        count += 1


@pytest.fixture
def probe_template(settings, tmp_path):
    """A test-only `pdf/probe.html` whose markup itself tries to load outside resources."""
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "probe.html").write_text(
        "{% extends 'pdf/base.html' %}"
        "{% block heading %}Probe{% endblock %}"
        "{% block content %}"
        "<h1>{{ name }}</h1><p>{{ text }}</p>"
        '<img src="http://127.0.0.1:{{ port }}/markup.png">'
        '<link rel="stylesheet" href="http://127.0.0.1:{{ port }}/markup.css">'
        '<img src="file:///etc/hostname">'
        '<div class="outside"></div>'
        "<style>.outside { background: url(http://127.0.0.1:{{ port }}/bg.png) }</style>"
        "{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return "probe"


def test_user_text_prints_literally_and_no_outbound_fetch_happens(
    probe_template, listening_port, monkeypatch
):
    fetched = []
    fetcher = pdfs.static_only_fetcher()
    real_fetch = fetcher.fetch
    monkeypatch.setattr(
        fetcher, "fetch", lambda url, headers=None: fetched.append(url) or real_fetch(url, headers)
    )
    port = listening_port.getsockname()[1]

    data = pdfs.render_pdf(
        probe_template, {"name": HOSTILE_NAME, "text": HOSTILE_TEXT, "port": port}
    )

    text = pdf_text(data)
    assert HOSTILE_NAME in text
    assert HOSTILE_TEXT in text
    assert _connections(listening_port) == 0
    assert "https://clinic.invalid/static/css/pdf.css" in fetched
    served = [url for url in fetched if pdfs.static_path_for_url(url)]
    assert served == ["https://clinic.invalid/static/css/pdf.css"]


def test_the_markup_and_the_page_margins_use_only_dejavu_fonts(probe_template):
    data = pdfs.render_pdf(probe_template, {"name": HOSTILE_NAME, "text": "x", "port": 9})

    fonts = pdf_font_names(data)
    assert fonts
    assert all(name.startswith("DejaVu") for name in fonts), fonts


def test_the_clinic_stylesheet_is_served_by_the_fetcher():
    response = pdfs.static_only_fetcher()("https://clinic.invalid/static/css/pdf.css")

    assert b"DejaVu Sans" in response.read()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "https://127.0.0.1/static/css/pdf.css",
        "https://evil.example/static/css/pdf.css",
        "http://clinic.invalid/static/css/pdf.css",
        "https://clinic.invalid:8443/static/css/pdf.css",
        "https://user@clinic.invalid/static/css/pdf.css",
        "https://clinic.invalid/static/css/pdf.css?x=1",
        "https://clinic.invalid/media/photo.png",
        "https://clinic.invalid/static/",
        "https://clinic.invalid/static/../sciatica_clinic/settings.py",
        "https://clinic.invalid/static/%2e%2e/sciatica_clinic/settings.py",
        "https://clinic.invalid/static//etc/passwd",
        "https://clinic.invalid/static/..%5Csettings.py",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://clinic.invalid/static/css/pdf.css",
    ],
)
def test_the_fetcher_refuses_anything_but_a_static_file(url):
    assert pdfs.static_path_for_url(url) is None
    with pytest.raises(ValueError, match="refused"):
        pdfs.static_only_fetcher()(url)


def test_a_static_url_that_names_no_file_is_an_error_not_a_fetch():
    with pytest.raises(FileNotFoundError):
        pdfs.static_only_fetcher()("https://clinic.invalid/static/css/no-such-file.css")


def test_importing_the_pdf_module_does_not_import_weasyprint():
    code = (
        "import django, sys; django.setup(); import sessions.documents.pdfs, sessions.urls; "
        "print('weasyprint' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "sciatica_clinic.settings", "DEBUG": "true", "PATH": ""},
    )
    assert result.stdout.strip() == "False"


def test_every_pdf_of_a_process_shares_one_font_configuration(monkeypatch):
    """WeasyPrint makes a font configuration per document unless given one, and never frees
    it (a worker grew by 0.2 MiB a PDF): every render must pass the same one."""
    weasyprint = pdfs.weasyprint_module()
    seen = []
    render = weasyprint.HTML.write_pdf

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("font_config"))
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", spy)
    pdfs.html_to_pdf("<p>One</p>")
    pdfs.html_to_pdf("<p>Two</p>")
    assert seen[0] is not None and seen[0] is seen[1]

"""Read the POST forms of an HTML page as a browser would submit them: every named input,
textarea and select with its current value, and the named submit button pressed."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import resolve


@dataclass
class HtmlForm:
    action: str  # absolute path, with its query string
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    selects: set[str] = field(default_factory=set)
    # What each field is: an input's type ("date", "number", "hidden", ...), "textarea" or
    # "select"; and the maxlength a field declares.
    kinds: dict[str, str] = field(default_factory=dict)
    maxlengths: dict[str, int] = field(default_factory=dict)

    def data(self, button: str | None = None) -> dict[str, list[str]]:
        """The submitted values; presses the button whose value is `button`, else the last
        named one (the page's main action, by the templates' habit)."""
        values: dict[str, list[str]] = {}
        for name, value in self.fields:
            values.setdefault(name, []).append(value)
        pressed = [b for b in self.buttons if button is None or b[1] == button][-1:]
        for name, value in pressed:
            values.setdefault(name, []).append(value)
        return values


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[HtmlForm] = []
        self._form: HtmlForm | None = None
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_selected = False
        self._option_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            if attrs.get("method", "get").lower() == "post":
                self._form = HtmlForm(action=urljoin(self.page_url, attrs.get("action") or ""))
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if name and tag in {"input", "textarea", "select"}:
            form.kinds.setdefault(
                name, attrs.get("type", "text").lower() if tag == "input" else tag
            )
            if attrs.get("maxlength", "").isdigit():
                form.maxlengths[name] = int(attrs["maxlength"])
        if tag == "input" and name and "disabled" not in attrs:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "image"}:
                form.buttons.append((name, attrs.get("value", "")))
            elif kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    form.fields.append((name, attrs.get("value", "on")))
            elif kind not in {"button", "reset", "file"}:
                form.fields.append((name, attrs.get("value", "")))
        elif tag == "button" and name and attrs.get("type", "submit").lower() == "submit":
            form.buttons.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
            form.selects.add(name)
        elif tag == "option" and self._select is not None:
            self._option_value = attrs.get("value")
            self._option_selected = "selected" in attrs
            self._option_text = []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        if self._select is not None and self._option_value is None:
            self._option_text.append(data)

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._select is not None:
            value = (
                self._option_value
                if self._option_value is not None
                else "".join(self._option_text).strip()
            )
            self._options.append((value, self._option_selected))
            self._option_value = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options:
                chosen = [self._options[0][0]]
            for value in chosen:
                self._form.fields.append((self._select, value))
            self._select = None


def post_forms(html: str, *, page_url: str) -> list[HtmlForm]:
    """The page's POST forms, their actions made absolute against `page_url`."""
    parser = _FormParser(page_url)
    parser.feed(html)
    return parser.forms


def view_name(action: str) -> str:
    return resolve(urlsplit(action).path).view_name


def forms_on_pages(browser, pages, *, skip_views=frozenset()) -> dict[str, HtmlForm]:
    """The POST forms of every HTML page in `pages` as `browser` sees them, one per action."""
    forms: dict[str, HtmlForm] = {}
    for url in pages:
        response = browser.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            for form in post_forms(response.content.decode(), page_url=url):
                if view_name(form.action) not in skip_views:
                    forms.setdefault(form.action, form)
    return forms

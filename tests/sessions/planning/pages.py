"""Reading the planning pages in tests: the review form's fields as a browser would post them."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, action_part: str):
        super().__init__()
        self.action_part = action_part
        self.inside = False
        self.select: str | None = None
        self.first_option: str | None = None
        self.data: dict[str, str] = {}
        self.labels: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action_part in (attrs.get("action") or ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and attrs.get("name") and attrs.get("type") != "submit":
            if attrs.get("type") == "checkbox" and "checked" not in attrs:
                return
            self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select = attrs["name"]
            self.first_option = None
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = attrs.get("value", "")
            if "selected" in attrs:
                self.data[self.select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            self.data.setdefault(self.select, self.first_option or "")
            self.select = None
        if tag == "form" and self.inside:
            self.inside = False


def review_form(html: str) -> dict[str, str]:
    """The fields of the page's plan review form (hidden, number and select inputs)."""
    reader = _FormReader("/plans/review/")
    reader.feed(html)
    return reader.data


def select_options(html: str, name: str) -> list[str]:
    """The option values of the select called `name`."""
    values: list[str] = []

    class Options(HTMLParser):
        current = None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "select":
                self.current = attrs.get("name")
            elif tag == "option" and self.current == name:
                values.append(attrs.get("value", ""))

        def handle_endtag(self, tag):
            if tag == "select":
                self.current = None

    Options().feed(html)
    return values

"""axe-core in the browser suite: inject the checker the app serves itself
(`static/vendor/axe-core`, from npm, see settings.STATICFILES_DIRS) into the page and list
what it finds, at every impact level. The pages' CSP allows only the site's own scripts, so
axe comes from the live server's static files, never a CDN or an inline script.

No rule is disabled: `DISABLED_RULES` would name each one with the reason.
"""

from __future__ import annotations

AXE_URL = "/static/vendor/axe-core/axe.min.js"
DISABLED_RULES: dict[str, str] = {}

_RUN = """async (disabled) => {
  const rules = Object.fromEntries(disabled.map((id) => [id, {enabled: false}]));
  const result = await axe.run(document, {resultTypes: ["violations"], rules});
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      summary: n.failureSummary,
    })),
  }));
}"""


def axe_violations(page) -> list[dict]:
    """axe's violations on the page as it is now: [{id, impact, help, nodes: [...]}]."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    return page.evaluate(_RUN, list(DISABLED_RULES))


def violations_text(name: str, violations: list[dict]) -> str:
    """The violations of one page, readable in a failing test's output."""
    lines = []
    for violation in violations:
        lines.append(f"{name}: {violation['impact']} {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)

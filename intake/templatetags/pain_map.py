"""The body pain map drawn (clinical rules §2.5): `{% pain_map_svg marks %}` shows marks on the
front and back outlines (chart, review, note PDF); `{% pain_map_input field %}` is the map to
mark, with a real checkbox per region and sensation behind it (works without JavaScript)."""

from __future__ import annotations

from django import template

from intake.rules.pain_map import (
    BODY_OUTLINE,
    HEAD,
    REGIONS,
    Sensation,
    View,
    mark_code,
    pain_map_summarise,
)

register = template.Library()


def _views(marks: set[str]) -> list[dict]:
    views = []
    for view in View:
        regions = []
        for region in REGIONS:
            if region.view != view:
                continue
            marked = [s for s in Sensation if mark_code(region.code, s.value) in marks]
            regions.append({"region": region, "sensations": marked})
        views.append({"view": view, "regions": regions})
    return views


def _context(marks) -> dict:
    marks = set(marks or ())
    return {
        "views": _views(marks),
        "outline": BODY_OUTLINE,
        "head": HEAD,
        "sensations": list(Sensation),
    }


@register.inclusion_tag("intake/_pain_map_svg.html")
def pain_map_svg(marks, caption: str = "Body pain map"):
    marks = list(marks or ())
    context = _context(marks)
    context["caption"] = caption
    context["summary"] = (
        pain_map_summarise([m for m in marks if m.split(":")[0] in {r.code for r in REGIONS}])
        if marks
        else None
    )
    return context


@register.inclusion_tag("intake/_pain_map_input.html")
def pain_map_input(field):
    value = field.value() or []
    context = _context(value)
    checked = set(value)
    groups = []
    for view in context["views"]:
        rows = []
        for item in view["regions"]:
            region = item["region"]
            rows.append(
                {
                    "region": region,
                    "boxes": [
                        {
                            "sensation": s,
                            "value": mark_code(region.code, s.value),
                            "id": f"{field.auto_id}_{region.code}_{s.value}",
                            "checked": mark_code(region.code, s.value) in checked,
                        }
                        for s in Sensation
                    ],
                }
            )
        groups.append({"view": view["view"], "rows": rows})
    context |= {"field": field, "groups": groups}
    return context

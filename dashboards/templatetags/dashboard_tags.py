"""The dashboard's repeated pieces built in one pass of Python: a national page has 100
target rows and 34 province rows, and Django's template engine spent more time on their
variables, filters, includes and URL look-ups than the page spent in the database.

Each piece gives the markup its template gave, escaped the same way (`format_html`).
"""

from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.numbers import format_number

register = template.Library()

DASH = "—"


@register.simple_tag
def status_badge(item: Any) -> SafeString:
    """A target's status, whether unapproved figures are in it, and how many of the units
    that must report have: the badge of every list of targets."""
    html = format_html(
        '<span class="badge status-{}" data-status="{}">{}</span>',
        item.status,
        item.status,
        item.status_label,
    )
    if item.includes_submitted:
        html += format_html(
            ' <span class="badge text-bg-light border border-primary text-primary" '
            'title="{}">*</span>',
            _("Có số liệu đã gửi nhưng chưa duyệt"),
        )
    if getattr(item, "expected_units", 0):
        # As {% blocktranslate %} gives it: the numbers localised, the sentence unescaped.
        counted = _("%(reported)s/%(expected)s đơn vị") % {
            "reported": localize(item.reported_units),
            "expected": localize(item.expected_units),
        }
        html += format_html(
            ' <span class="small text-nowrap{}" data-testid="coverage" title="{}">{}</span>',
            " text-muted" if item.is_fully_reported else " text-danger-emphasis",
            _("Số đơn vị đã có số liệu / số đơn vị phải báo cáo"),
            mark_safe(counted),  # noqa: S308 - the catalog's text and two numbers
        )
    return html


@register.simple_tag
def attainment_rows(items: Iterable[Any], year: int, query: str, named: bool) -> SafeString:
    """The rows of the dashboard's table of targets (data-testid="attainment"): each links
    to its indicator's page, with the dashboard's filters; `named` adds how each is judged."""
    suffix = f"?{query}" if query else ""
    # One reverse for the page, the code put in its place (a slug, as the URL requires).
    base = reverse("dashboards:indicator", args=[year, "__code__"])
    kinds = {True: _("cộng dồn"), False: _("hiện có")}
    comparisons: dict[str, str] = {}
    rows = []
    for item in items:
        indicator, target = item.indicator, item.target
        if target.comparison not in comparisons:
            comparisons[target.comparison] = str(target.get_comparison_display())
        uom = indicator.unit_of_measure
        actual = item.actual
        share = item.share
        row = format_html(
            '\n      <tr data-indicator="{}"><td><a href="{}">{}</a>'
            '<div class="small text-muted">{} · {}</div></td>'
            '<td class="num">{} {}</td><td class="num">{}</td><td class="num">{}</td>'
            "<td>{}\n</td>{}</tr>\n    ",
            indicator.code,
            base.replace("__code__", quote(indicator.code)) + suffix,
            indicator.name,
            comparisons[target.comparison],
            kinds[item.is_flow],
            format_number(target.value),
            uom,
            f"{format_number(actual)} {uom}" if actual is not None else DASH,
            f"{format_number(share, 1)}%" if share is not None else DASH,
            status_badge(item),
            format_html(
                '<td class="small text-muted d-none d-lg-table-cell">{}</td>', item.explanation
            )
            if named
            else "",
        )
        rows.append(row)
    return mark_safe("".join(rows))  # noqa: S308 - each row built by format_html

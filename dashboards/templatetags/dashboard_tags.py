"""The dashboard's repeated pieces built in one pass of Python: a national page has 100
target rows and 34 province rows, and Django's template engine spent more time on their
variables, filters, includes and URL look-ups than the page spent in the database.

Each piece gives the markup its template gave, escaped as Django escapes (`html.escape`,
which `django.utils.html.escape` is), and is checked against it by the tests.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from html import escape
from typing import Any
from urllib.parse import quote, quote_plus, urlencode

from django import template
from django.template import RequestContext
from django.urls import reverse
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.numbers import format_number
from dashboards.charts import LineChart

register = template.Library()

DASH = "—"
TENTH = Decimal("0.1")


class _Words:
    """The badge's translated words and localised numbers, looked up once for a table."""

    def __init__(self) -> None:
        self.submitted = escape(_("Có số liệu đã gửi nhưng chưa duyệt"))
        self.coverage = escape(_("Số đơn vị đã có số liệu / số đơn vị phải báo cáo"))
        # As {% blocktranslate %} gives it: the numbers localised, the sentence unescaped.
        self.counted = _("%(reported)s/%(expected)s đơn vị")
        self.numbers: dict[int, str] = {}
        self.labels: dict[str, str] = {}

    def number(self, value: int) -> str:
        if value not in self.numbers:
            self.numbers[value] = escape(localize(value))
        return self.numbers[value]

    def label(self, item: Any) -> str:
        if item.status not in self.labels:
            self.labels[item.status] = escape(item.status_label)
        return self.labels[item.status]


def _badge(item: Any, words: _Words, *, titled: bool = True) -> str:
    """`titled`: each mark says what it means on hover; a long list says it once above
    instead (the dashboard's table: 100 rows of the same two sentences weighed 13 KB)."""
    status = escape(item.status)
    html = f'<span class="badge status-{status}" data-status="{status}">{words.label(item)}</span>'
    if item.includes_submitted:
        title = f' title="{words.submitted}"' if titled else ""
        html += f' <span class="badge unapproved"{title}>*</span>'
    expected = getattr(item, "expected_units", 0)
    if expected:
        shade = "" if item.is_fully_reported else " lacking"
        counted = words.counted % {
            "reported": words.number(item.reported_units),
            "expected": words.number(expected),
        }
        title = f' title="{words.coverage}"' if titled else ""
        html += f' <span class="coverage{shade}" data-testid="coverage"{title}>{counted}</span>'
    return html


@register.simple_tag
def status_badge(item: Any) -> SafeString:
    """A target's status, whether unapproved figures are in it, and how many of the units
    that must report have: the badge of every list of targets."""
    return mark_safe(_badge(item, _Words()))  # noqa: S308 - escaped in _badge


@register.simple_tag
def attainment_rows(items: Iterable[Any], year: int, query: str, named: bool) -> SafeString:
    """The rows of the dashboard's table of targets (data-testid="attainment"): each links
    to its indicator's page, with the dashboard's filters; `named` adds how each is judged."""
    suffix = escape(f"?{query}") if query else ""
    # One reverse for the page, the code put in its place (a slug, as the URL requires).
    base = reverse("dashboards:indicator", args=[year, "__code__"])
    kinds = {True: escape(_("cộng dồn")), False: escape(_("hiện có"))}
    words = _Words()
    comparisons: dict[str, str] = {}
    rows = []
    for item in items:
        indicator, target = item.indicator, item.target
        if target.comparison not in comparisons:
            comparisons[target.comparison] = escape(str(target.get_comparison_display()))
        code = escape(indicator.code)
        url = escape(base.replace("__code__", quote(indicator.code)))
        uom = escape(indicator.unit_of_measure)
        actual, share = item.actual, item.share
        shown = f"{format_number(actual)} {uom}" if actual is not None else DASH
        ratio = f"{format_number(share, 1)}%" if share is not None else DASH
        judged = (
            f'<td class="small text-muted d-none d-lg-table-cell">{escape(item.explanation)}</td>'
            if named
            else ""
        )
        rows.append(
            f'\n      <tr data-indicator="{code}"><td><a href="{url}{suffix}">'
            f"{escape(indicator.name)}</a>"
            f'<div class="sub">{comparisons[target.comparison]} · '
            f"{kinds[item.is_flow]}</div></td>"
            f'<td class="num">{format_number(target.value)} {uom}</td>'
            f'<td class="num">{shown}</td><td class="num">{ratio}</td>'
            f"<td>{_badge(item, words, titled=False)}\n</td>{judged}</tr>\n    "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above


def _count(value: int | None) -> str:
    return "" if value is None else format_number(value)


@register.simple_tag(takes_context=True)
def area_rows(context: RequestContext, rows: Iterable[Any], year: int) -> SafeString:
    """The rows of the table of areas under the dashboard's (data-testid="areas"): each
    drills down to its area (?khu_vuc=, the page's other filters kept), with its counts
    of the latest period and its missing reports one click away."""
    # As {% querystring khu_vuc=<slug> %}: the page's parameters with the area's slug in
    # place of khu_vuc's (or after them); the parameters before and after it encoded once
    # (not a placeholder replaced in the whole string: another parameter may hold it).
    drill = context.request.GET.copy()
    drill["khu_vuc"] = ""
    pairs = list(drill.lists())
    at = [key for key, _values in pairs].index("khu_vuc")
    before, after = (
        urlencode([(key, value) for key, values in part for value in values])
        for part in (pairs[:at], pairs[at + 1 :])
    )
    before, after = (f"?{before}&" if before else "?"), (f"&{after}" if after else "")
    html = []
    missing_url: dict[str, str] = {}
    for row in rows:
        slug = escape(row.area.slug)
        href = escape(f"{before}khu_vuc={quote_plus(row.area.slug)}{after}")
        latest = row.latest
        missing = "0"
        if latest is not None and latest.missing:
            code = latest.period.code
            if code not in missing_url:
                missing_url[code] = escape(reverse("dashboards:missing_reports", args=[year, code]))
            missing = (
                f'<a href="{missing_url[code]}?khu_vuc={slug}">{format_number(latest.missing)}</a>'
            )
        html.append(
            f'\n      <tr data-area="{slug}"><td><a href="{href}">'
            f'{escape(row.area.name)}</a></td><td class="num">{format_number(row.units)}</td>\n'
            f'        <td class="num">{_count(latest and latest.on_time)}</td>'
            f'<td class="num">{_count(latest and latest.late)}</td>'
            f'<td class="num">{_count(latest and latest.sent_back)}</td>\n'
            f'        <td class="num">{missing}</td></tr>\n    '
        )
    return mark_safe("".join(html))  # noqa: S308 - every value escaped above


def _coordinate(value: float) -> str:
    """As {{ value|floatformat:'1u' }}: one decimal, rounded half up, a point."""
    rounded = Decimal(str(value)).quantize(TENTH, ROUND_HALF_UP)
    return f"{rounded if rounded else abs(rounded):f}"


@register.simple_tag
def line_chart_svg(chart: LineChart, label: str) -> SafeString:
    """A line chart (dashboards.charts.line_chart) as SVG: the dashboard draws four."""
    width, height = chart.width, chart.height
    label = escape(label)
    axis, right, target_y = height - 40, width - 44, _coordinate(chart.target_y)
    parts = [
        f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" class="chart" '
        f'aria-label="{label}">\n  <title>{label}</title>\n'
        f'  <line x1="56" y1="16" x2="56" y2="{axis}" stroke="#adb5bd" stroke-width="1"/>\n'
        f'  <line x1="56" y1="{axis}" x2="{right}" y2="{axis}" stroke="#adb5bd" '
        'stroke-width="1"/>\n'
        '  <text x="50" y="22" text-anchor="end" font-size="11" fill="#6c757d">'
        f"{escape(chart.top_label)}</text>\n"
        f'  <text x="50" y="{axis}" text-anchor="end" font-size="11" fill="#6c757d">0</text>\n'
        f'  <line x1="56" y1="{target_y}" x2="{right}" y2="{target_y}" stroke="#dc3545" '
        'stroke-width="2" stroke-dasharray="6 4"/>\n'
        f'  <text x="{right}" y="{target_y}" dy="-4" text-anchor="end" font-size="12" '
        f'fill="#dc3545">{escape(_("chỉ tiêu"))} {escape(chart.target_label)}</text>\n  '
    ]
    if chart.points:
        parts.append(
            f'<polyline points="{escape(chart.points)}" fill="none" stroke="#198754" '
            'stroke-width="3"/>'
        )
    parts.append("\n  ")
    for x, y, name, shown, dy in chart.dots:
        cx, cy, name, shown = _coordinate(x), _coordinate(y), escape(name), escape(shown)
        parts.append(
            f'\n  <circle cx="{cx}" cy="{cy}" r="4" fill="#198754"><title>{name}: {shown}'
            f"</title></circle>\n"
            f'  <text x="{cx}" y="{cy}" dy="{dy}" text-anchor="middle" font-size="11" '
            f'fill="#212529">{shown}</text>\n  '
        )
    parts.append("\n  ")
    for x, name in chart.labels:
        parts.append(
            f'<text x="{_coordinate(x)}" y="{height - 22}" text-anchor="middle" font-size="11" '
            f'fill="#495057">{escape(name)}</text>'
        )
    parts.append("\n</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped above

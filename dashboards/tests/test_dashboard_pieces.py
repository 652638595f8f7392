"""The dashboard's repeated pieces are written by Python (dashboards/templatetags/
dashboard_tags.py) for speed: each must give, byte for byte, what its template gave,
escaping included, in both languages. The templates they replaced are kept here."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from dashboards import charts
from dashboards.activity import AreaCompleteness, CompletenessCounts
from dashboards.judging import Status
from plans.models import AdministrativeUnit
from reporting.models import Indicator, ReportingPeriod, Target

BADGE = (
    '{% load i18n %}<span class="badge status-{{ item.status }}" data-status="{{ item.status }}">'
    '{{ item.status_label }}</span>{% if item.includes_submitted %} <span class="badge '
    'unapproved" title="{% translate \'Có số liệu đã gửi '
    'nhưng chưa duyệt\' %}">*</span>{% endif %}{% if item.expected_units %} <span class="'
    "coverage{% if not item.is_fully_reported %} lacking"
    '{% endif %}" data-testid="coverage" title="{% translate \'Số đơn vị đã có số liệu / số đơn '
    "vị phải báo cáo' %}\">{% blocktranslate with reported=item.reported_units "
    "expected=item.expected_units %}{{ reported }}/{{ expected }} đơn vị{% endblocktranslate %}"
    "</span>{% endif %}\n"
)
# In the dashboard's long table the marks carry no title: the table says once what they mean.
BADGE_IN_LIST = (
    '{% load i18n %}<span class="badge status-{{ item.status }}" data-status="{{ item.status }}">'
    '{{ item.status_label }}</span>{% if item.includes_submitted %} <span class="badge '
    'unapproved">*</span>{% endif %}{% if item.expected_units %} <span class="'
    "coverage{% if not item.is_fully_reported %} lacking"
    '{% endif %}" data-testid="coverage">{% blocktranslate with reported=item.reported_units '
    "expected=item.expected_units %}{{ reported }}/{{ expected }} đơn vị{% endblocktranslate %}"
    "</span>{% endif %}\n"
)
ROWS = (
    "{% load i18n vn_format %}{% for item in items %}\n"
    '      <tr data-indicator="{{ item.indicator.code }}"><td><a href="{% url '
    "'dashboards:indicator' plan.year item.indicator.code %}{% if query %}?{{ query }}{% endif %}"
    '">{{ item.indicator.name }}</a><div class="sub">'
    '{{ item.target.get_comparison_display }} · {% if item.is_flow %}{% translate "cộng dồn" %}'
    '{% else %}{% translate "hiện có" %}{% endif %}</div></td><td class="num">'
    '{{ item.target.value|so }} {{ item.indicator.unit_of_measure }}</td><td class="num">'
    "{% if item.actual is not None %}{{ item.actual|so }} {{ item.indicator.unit_of_measure }}"
    '{% else %}—{% endif %}</td><td class="num">{% if item.share is not None %}'
    "{{ item.share|so:1 }}%{% else %}—{% endif %}</td><td>" + BADGE_IN_LIST + "</td>{% if named %}"
    '<td class="small text-muted d-none d-lg-table-cell">{{ item.explanation }}</td>{% endif %}'
    "</tr>\n    {% endfor %}"
)
AREAS = (
    "{% load vn_format %}{% for row in area_rows %}{% with c=row.latest %}\n"
    '      <tr data-area="{{ row.area.slug }}"><td><a href="{% querystring khu_vuc=row.area.slug %}'
    '">{{ row.area.name }}</a></td><td class="num">{{ row.units|so }}</td>\n'
    '        <td class="num">{{ c.on_time|so }}</td><td class="num">{{ c.late|so }}</td>'
    '<td class="num">{{ c.sent_back|so }}</td>\n'
    '        <td class="num">{% if c.missing %}<a href="{% url \'dashboards:missing_reports\' '
    'plan.year c.period.code %}?khu_vuc={{ row.area.slug }}">{{ c.missing|so }}</a>{% else %}0'
    "{% endif %}</td></tr>\n    {% endwith %}{% endfor %}"
)
LINE_CHART = (
    '{% load i18n %}<svg viewBox="0 0 {{ chart.width }} {{ chart.height }}" width="100%" '
    'role="img" class="chart" aria-label="{{ label }}">\n  <title>{{ label }}</title>\n'
    '  <line x1="56" y1="16" x2="56" y2="{{ chart.height|add:\'-40\' }}" stroke="#adb5bd" '
    'stroke-width="1"/>\n  <line x1="56" y1="{{ chart.height|add:\'-40\' }}" '
    'x2="{{ chart.width|add:\'-44\' }}" y2="{{ chart.height|add:\'-40\' }}" stroke="#adb5bd" '
    'stroke-width="1"/>\n  <text x="50" y="22" text-anchor="end" font-size="11" '
    'fill="#6c757d">{{ chart.top_label }}</text>\n  <text x="50" '
    'y="{{ chart.height|add:\'-40\' }}" text-anchor="end" font-size="11" fill="#6c757d">0</text>'
    '\n  <line x1="56" y1="{{ chart.target_y|floatformat:\'1u\' }}" '
    "x2=\"{{ chart.width|add:'-44' }}\" y2=\"{{ chart.target_y|floatformat:'1u' }}\" "
    'stroke="#dc3545" stroke-width="2" stroke-dasharray="6 4"/>\n  <text '
    'x="{{ chart.width|add:\'-44\' }}" y="{{ chart.target_y|floatformat:\'1u\' }}" dy="-4" '
    'text-anchor="end" font-size="12" fill="#dc3545">{% translate "chỉ tiêu" %} '
    "{{ chart.target_label }}</text>\n  {% if chart.points %}<polyline "
    'points="{{ chart.points }}" fill="none" stroke="#198754" stroke-width="3"/>{% endif %}\n'
    "  {% for x, y, name, shown, dy in chart.dots %}\n  <circle cx=\"{{ x|floatformat:'1u' }}\" "
    'cy="{{ y|floatformat:\'1u\' }}" r="4" fill="#198754"><title>{{ name }}: {{ shown }}'
    "</title></circle>\n  <text x=\"{{ x|floatformat:'1u' }}\" y=\"{{ y|floatformat:'1u' }}\" "
    'dy="{{ dy }}" text-anchor="middle" font-size="11" fill="#212529">{{ shown }}</text>\n'
    "  {% endfor %}\n  {% for x, name in chart.labels %}<text x=\"{{ x|floatformat:'1u' }}\" "
    'y="{{ chart.height|add:\'-22\' }}" text-anchor="middle" font-size="11" '
    'fill="#495057">{{ name }}</text>{% endfor %}\n</svg>\n'
)
TRICKY = "Lúa <b>\"đặc sản\"</b> & 'chè'"


def item(code, *, status, actual, value="1234.5", comparison="toi_thieu", **extra):
    target = Target(value=Decimal(value), comparison=comparison)
    indicator = Indicator(code=code, name=TRICKY, unit_of_measure="tấn & <kg>")
    defaults = {
        "includes_submitted": False,
        "expected_units": 0,
        "reported_units": 0,
        "is_fully_reported": True,
        "is_flow": True,
        "explanation": f"Vì {TRICKY}",
    }
    defaults.update(extra)
    share = actual / target.value * 100 if actual is not None else None
    return SimpleNamespace(
        indicator=indicator,
        target=target,
        actual=actual,
        share=share,
        status=status,
        status_label=str(Status.LABELS[status]),
        **defaults,
    )


ITEMS = [
    item(
        "lua-1",
        status=Status.BEHIND,
        actual=Decimal("12345.678"),
        expected_units=3321,
        reported_units=3321,
    ),
    item(
        "lua-2",
        status=Status.INCOMPLETE,
        actual=Decimal("0.5"),
        includes_submitted=True,
        expected_units=3321,
        reported_units=1234,
        is_fully_reported=False,
        is_flow=False,
    ),
    item("lua-3", status=Status.NO_DATA, actual=None, comparison="toi_da"),
    item(
        "lua-4",
        status=Status.ACHIEVED,
        actual=Decimal("-2"),
        comparison="duy_tri",
        expected_units=1,
        reported_units=1,
    ),
]


def render(source, **context):
    request = RequestFactory().get("/dashboard/2025/", {"gom_da_gui": "true", "x": "a&b <c>"})
    return Template(source).render(Context({"request": request, **context}))


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("named", [True, False])
@pytest.mark.parametrize("query", ["", "gom_da_gui=true&ky=2025-q2"])
def test_the_rows_of_targets_are_the_template_s_own(language, named, query):
    plan = SimpleNamespace(year=2025)
    with translation.override(language):
        expected = render(ROWS, items=ITEMS, plan=plan, query=query, named=named)
        written = render(
            "{% load dashboard_tags %}{% attainment_rows items plan.year query named %}",
            items=ITEMS,
            plan=plan,
            query=query,
            named=named,
        )
    assert written == expected


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_status_badge_is_the_template_s_own(language):
    with translation.override(language):
        for one in ITEMS:
            assert render("{% include 'includes/attainment_status.html' %}", item=one) == render(
                BADGE, item=one
            )


@pytest.mark.parametrize("khu_vuc", [None, "tinh-cu"])
def test_the_rows_of_areas_are_the_template_s_own(khu_vuc):
    period = ReportingPeriod(code="2025-q2", name="Quý 2")
    rows = [
        AreaCompleteness(
            area=AdministrativeUnit(slug="qg-ha-noi", name=TRICKY),
            units=1234,
            periods=[CompletenessCounts(period=period, units=1234, on_time=1000, late=3)],
        ),
        AreaCompleteness(
            area=AdministrativeUnit(slug="qg-cao-bang", name="Cao Bằng"),
            units=56,
            periods=[CompletenessCounts(period=period, units=56, on_time=50, late=4, sent_back=2)],
        ),
        AreaCompleteness(area=AdministrativeUnit(slug="qg-moi", name="Mới"), units=0, periods=[]),
    ]
    asked = {"gom_da_gui": "true", "x": "a&b <c>"}
    if khu_vuc:
        asked = {"khu_vuc": khu_vuc, **asked}
    request = RequestFactory().get("/dashboard/2025/", asked)
    plan = SimpleNamespace(year=2025)

    def shown(source):
        return Template(source).render(RequestContext(request, {"area_rows": rows, "plan": plan}))

    assert shown("{% load dashboard_tags %}{% area_rows area_rows plan.year %}") == shown(AREAS)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_line_chart_is_the_template_s_own(language):
    quarters = [ReportingPeriod(name=f"Quý {n} <{n}>") for n in range(1, 5)]
    drawn = [
        charts.line_chart([(q, v) for q, v in zip(quarters, values, strict=True)], target)
        for values, target in (
            ([Decimal("10.25"), Decimal("333.35"), None, Decimal("1060")], Decimal("1060")),
            ([Decimal("0.05"), Decimal("0.15"), Decimal("0.25"), Decimal("0.35")], Decimal("1")),
            ([None, None, None, None], Decimal("12345.6789")),
        )
    ]
    with translation.override(language):
        for chart in drawn:
            context = {"chart": chart, "label": TRICKY}
            assert render("{% include 'includes/line_chart.html' %}", **context) == render(
                LINE_CHART, **context
            )


def test_rounding_of_the_chart_s_coordinates_is_floatformat_s():
    from django.template.defaultfilters import floatformat

    from dashboards.templatetags.dashboard_tags import _coordinate

    for value in (0.05, 0.15, 0.25, 0.35, 1.45, 2.675, 123.45, 199.95, -0.04, 0.0, 56.0, 1e-7):
        assert _coordinate(value) == floatformat(value, "1u"), value

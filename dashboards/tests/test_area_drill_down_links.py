"""The drill-down links of the dashboard's areas keep every other
parameter of the page as it was, even one that holds the tag's own placeholder text."""

from types import SimpleNamespace

import pytest
from django.template import RequestContext, Template
from django.test import RequestFactory

from dashboards.activity import AreaCompleteness, CompletenessCounts
from dashboards.tests.test_dashboard_pieces import AREAS
from plans.models import AdministrativeUnit
from reporting.models import ReportingPeriod


@pytest.mark.parametrize(
    "asked",
    [
        {"x": "__area__"},
        {"__area__": "1", "gom_da_gui": "true"},
        {"khu_vuc": "tinh-cu", "xkhu_vuc": "__area__", "y": "a&b"},
        {"ky": "2025-q1", "khu_vuc": "tinh-cu", "z": ["1", "2"]},
    ],
)
def test_the_drill_down_keeps_the_page_s_other_parameters(asked):
    period = ReportingPeriod(code="2025-q2", name="Quý 2")
    rows = [
        AreaCompleteness(
            area=AdministrativeUnit(slug="qg-ha-noi", name="Hà Nội"),
            units=12,
            periods=[CompletenessCounts(period=period, units=12, on_time=10, late=1)],
        )
    ]
    request = RequestFactory().get("/dashboard/2025/", asked)

    def shown(source):
        return Template(source).render(
            RequestContext(request, {"area_rows": rows, "plan": SimpleNamespace(year=2025)})
        )

    assert shown("{% load dashboard_tags %}{% area_rows area_rows plan.year %}") == shown(AREAS)

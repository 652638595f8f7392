from decimal import Decimal

import pytest

from reporting import services
from reporting.models import Report, ReportingPeriod
from reporting.selectors import report_scope


@pytest.fixture
def report_figures(plan, economic_officer):
    """File a unit's figures for a period and take the report to the given status."""

    def file(unit_slug, period_code, status=Report.Status.APPROVED, tasks=None, **figures):
        unit = plan.unit if unit_slug == plan.unit.slug else plan.unit.children.get(slug=unit_slug)
        scope = report_scope(plan, unit)
        codes = {line.indicator.code: line.indicator.pk for line in scope.lines}
        period = ReportingPeriod.objects.get(plan=plan, code=period_code)
        report = services.report_save(
            scope=scope,
            period=period,
            actor=economic_officer,
            expected_version=None,
            data=services.ReportInput(
                figures={
                    codes[code.replace("_", "-")]: Decimal(str(v)) for code, v in figures.items()
                },
                tasks=tasks or {},
                # Test figures are made up: any warning of the checks is explained.
                explanations={
                    codes[code.replace("_", "-")]: "Số liệu thử nghiệm" for code in figures
                },
            ),
        )
        if status in (Report.Status.SUBMITTED, Report.Status.APPROVED):
            report = services.report_submit(report=report, actor=economic_officer)
        if status == Report.Status.APPROVED:
            report = services.report_approve(report=report, actor=economic_officer)
        return report

    return file


@pytest.fixture(params=["on the fly", "running totals"])
def totals_mode(request, plan):
    """Run a dashboard test twice: adding up the figures, and reading the running totals
    that the workflow keeps; afterwards the totals must equal a recomputation."""
    from reporting import totals

    if request.param == "running totals":
        totals.rebuild(plan)
    yield request.param
    if request.param == "running totals":
        assert totals.differences(plan) == []


@pytest.fixture
def queue_every_export(settings):
    """Any plan counts as large: its export goes through the task queue."""
    settings.EXPORT_QUEUE_ABOVE_CELLS = 0

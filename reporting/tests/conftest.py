import pytest

from reporting.models import ReportingPeriod


@pytest.fixture
def q1(plan):
    return ReportingPeriod.objects.get(plan=plan, code="2023-q1")


@pytest.fixture
def report_form_data():
    """What the browser would send back for a report page, with some fields changed."""

    def build(response, action="save", **changes):
        form = response.context["form"]
        data = {}
        for name in form.fields:
            value = form[name].value()
            data[name] = "" if value is None else value
        data.update({key: str(value) for key, value in changes.items()})
        data["action"] = action
        return data

    return build


SAN_THANG_Q1 = "/reports/2023/san-thang/2023-q1/"


@pytest.fixture
def saved_report(plan, q1, san_thang_official):
    """San Thàng's first-quarter draft with two figures, a task and difficulties saved."""
    from decimal import Decimal

    from plans.models import AdministrativeUnit
    from reporting import services
    from reporting.selectors import report_scope

    scope = report_scope(plan, AdministrativeUnit.objects.get(slug="san-thang"))
    codes = {line.indicator.code: line.indicator.pk for line in scope.lines}
    task = next(task for task in scope.tasks if task.code == "III.6.1")
    return services.report_save(
        scope=scope,
        period=q1,
        actor=san_thang_official,
        expected_version=None,
        data=services.ReportInput(
            figures={
                codes["lua-chat-luong-dien-tich"]: Decimal("130"),
                codes["che-bup-tuoi-san-luong"]: Decimal("1250.5"),
            },
            tasks={task.pk: ("dang_thuc_hien", "Đã họp dân ở 3 bản")},
            difficulties="Mưa đá tháng 2",
        ),
    )

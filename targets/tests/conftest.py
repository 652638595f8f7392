import pytest

from targets.models import ReportingPeriod


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

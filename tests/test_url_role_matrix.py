"""Every URL of the project, for every role: who gets the page, who is sent away.

The test walks the URL resolver, so a view added without a row in EXPECTED fails here
until someone decides, and writes down, who may reach it.

Answers: 200 (or another status) as written; LOGIN = redirected to the login page;
REDIRECT = redirected elsewhere (not to a login page).
"""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

LOGIN = "login"
REDIRECT = "redirect"

OFFICIALS = [
    "santhang",
    "sungphai",
    "quyetthang",
    "dongphong",
    "quyettien",
    "doanket",
    "tanphong",
    # The two wards that succeeded the city's units on 1/7/2025: no unit in the 2023 plan.
    "phuongdoanket",
    "phuongtanphong",
]
ROLES = ["anonymous", *OFFICIALS, "lanhdao", "kinhte"]
OTHER_OFFICIALS = [name for name in OFFICIALS if name != "santhang"]


def every(answer, **exceptions):
    """The same answer for every logged-in role, with exceptions; anonymous → login."""
    table = dict.fromkeys(ROLES, answer)
    table["anonymous"] = LOGIN
    table.update(exceptions)
    return table


def only_kinhte(answer, other=403):
    return every(other, kinhte=answer)


def for_officials(answer):
    return dict.fromkeys(OTHER_OFFICIALS, answer)


@dataclass
class Row:
    kwargs: dict = field(default_factory=dict)
    get: dict | None = None
    post: dict | None = None  # None: the view takes no POST worth checking (read-only page)


SAN_THANG_Q1 = {"year": 2023, "unit_slug": "san-thang", "period_code": "2023-q1"}

EXPECTED: dict[str, Row] = {
    "home": Row(get=every(REDIRECT)),
    "login": Row(
        get=every(REDIRECT, anonymous=200),
        post=every(REDIRECT, anonymous=200),
    ),
    "logout": Row(get=every(405, anonymous=405), post=every(LOGIN)),
    "password_change": Row(get=every(200), post=every(200)),
    "password_change_done": Row(get=every(200)),
    "official_list": Row(get=only_kinhte(200)),
    "official_add": Row(get=only_kinhte(200), post=only_kinhte(400)),  # empty: refused
    "official_password": Row(
        kwargs={"pk": "user:santhang"}, get=only_kinhte(200), post=only_kinhte(400)
    ),
    "health": Row(get=every(200, anonymous=200), post=every(405, anonymous=405)),
    "set_language": Row(
        get=every(REDIRECT, anonymous=REDIRECT), post=every(REDIRECT, anonymous=REDIRECT)
    ),
    "plans:list": Row(get=every(200)),
    "plans:detail": Row(kwargs={"year": 2023}, get=every(200)),
    "plans:history": Row(kwargs={"year": 2023}, get=every(200)),
    # Phòng Kinh tế keeps the plan; everybody else reads it and is refused every write.
    "plans:next_year": Row(kwargs={"year": 2023}, get=every(405), post=only_kinhte(REDIRECT)),
    "plans:issue": Row(kwargs={"year": 2023}, get=only_kinhte(200), post=only_kinhte(400)),
    # The 2023 plan cannot close before its annual cut-off: the refusal is a message.
    "plans:close": Row(kwargs={"year": 2023}, get=every(405), post=only_kinhte(REDIRECT)),
    "plans:confirm_targets": Row(kwargs={"year": 2023}, get=every(405), post=only_kinhte(REDIRECT)),
    "plans:info_edit": Row(kwargs={"year": 2023}, get=only_kinhte(200), post=only_kinhte(400)),
    "plans:targets_decision": Row(
        kwargs={"year": 2023}, get=only_kinhte(200), post=only_kinhte(400)
    ),
    "plans:target_edit": Row(
        kwargs={"year": 2023, "pk": "target"}, get=only_kinhte(200), post=only_kinhte(400)
    ),
    "plans:target_add": Row(kwargs={"year": 2023}, get=only_kinhte(200), post=only_kinhte(400)),
    "plans:indicator_add": Row(kwargs={"year": 2023}, get=only_kinhte(200), post=only_kinhte(400)),
    "plans:target_delete": Row(
        kwargs={"year": 2023, "pk": "target"}, get=only_kinhte(200), post=only_kinhte(REDIRECT)
    ),
    "plans:task_delete": Row(
        kwargs={"year": 2023, "pk": "task"}, get=only_kinhte(200), post=only_kinhte(REDIRECT)
    ),
    "plans:task_add": Row(kwargs={"year": 2023}, get=only_kinhte(200), post=only_kinhte(400)),
    "plans:task_edit": Row(
        kwargs={"year": 2023, "pk": "task"}, get=only_kinhte(200), post=only_kinhte(400)
    ),
    "plans:section_edit": Row(
        kwargs={"year": 2023, "pk": "section"}, get=only_kinhte(200), post=only_kinhte(400)
    ),
    "plans:indicator_edit": Row(
        kwargs={"year": 2023, "code": "lua-chat-luong-dien-tich"},
        get=only_kinhte(200),
        post=only_kinhte(400),
    ),
    "plans:citation_edit": Row(
        kwargs={"year": 2023, "pk": "citation"}, get=only_kinhte(200), post=only_kinhte(400)
    ),
    "ocop:list": Row(kwargs={"year": 2023}, get=every(200)),
    # The plan as a document: whoever reads the plan downloads it.
    "plan_document:docx": Row(kwargs={"year": 2023}, get=every(200)),
    # The five-year plan's targets: everyone reads them, Phòng Kinh tế enters them.
    "stage:targets": Row(kwargs={"year": 2023}, get=every(200), post=only_kinhte(REDIRECT)),
    "ocop:add": Row(kwargs={"year": 2023}, get=only_kinhte(200), post=only_kinhte(400)),
    "ocop:edit": Row(
        kwargs={"year": 2023, "pk": "ocop"}, get=only_kinhte(200), post=only_kinhte(400)
    ),
    "reporting:overview": Row(kwargs={"year": 2023}, get=every(200)),
    "reporting:report": Row(
        kwargs=SAN_THANG_Q1,
        get=every(200, **for_officials(404)),
        # An empty form is refused at the fields (400); nobody else may send it at all.
        post=every(400, lanhdao=403, **for_officials(404)),
    ),
    "reporting:review": Row(
        kwargs=SAN_THANG_Q1,
        get=every(405),
        # No report yet: Phòng Kinh tế is sent back to the (empty) report.
        post=every(403, kinhte=REDIRECT, **for_officials(404)),
    ),
    # The review queue; a POST choosing nothing is sent back to the queue with a message.
    "reporting:queue": Row(kwargs={"year": 2023}, get=only_kinhte(200), post=only_kinhte(REDIRECT)),
    # No report yet for San Thàng's first quarter: nothing to confirm or withdraw.
    "reporting:submit_confirm": Row(kwargs=SAN_THANG_Q1, get=every(404), post=every(404)),
    "reporting:approve_confirm": Row(
        kwargs=SAN_THANG_Q1, get=every(403, kinhte=404), post=every(403, kinhte=404)
    ),
    "reporting:withdraw": Row(kwargs=SAN_THANG_Q1, get=every(405), post=every(404)),
    "reporting:figure_note": Row(kwargs=SAN_THANG_Q1, get=every(405), post=every(404)),
    "reporting:excel_download": Row(kwargs=SAN_THANG_Q1, get=every(200, **for_officials(404))),
    "reporting:excel_upload": Row(
        kwargs=SAN_THANG_Q1,
        get=every(200, lanhdao=403, **for_officials(404)),
        post=every(400, lanhdao=403, **for_officials(404)),  # no file: refused at the field
    ),
    # An unknown preview token: the unit's editors are sent back to upload again.
    "reporting:excel_preview": Row(
        kwargs={**SAN_THANG_Q1, "token": "khong-co"},
        get=every(REDIRECT, lanhdao=403, **for_officials(404)),
    ),
    "reporting:excel_confirm": Row(
        kwargs={**SAN_THANG_Q1, "token": "khong-co"},
        get=every(405),
        post=every(REDIRECT, lanhdao=403, **for_officials(404)),
    ),
    "dashboards:dashboard": Row(kwargs={"year": 2023}, get=every(403, lanhdao=200, kinhte=200)),
    "dashboards:indicator": Row(
        kwargs={"year": 2023, "code": "lua-chat-luong-dien-tich"},
        get=every(403, lanhdao=200, kinhte=200),
    ),
    "dashboards:unit": Row(
        kwargs={"year": 2023, "unit_slug": "san-thang"},
        get=every(403, lanhdao=200, kinhte=200),
    ),
    # A ward of today's map for the 2023 plan (?theo=hien-nay): whoever sees the dashboards.
    "dashboards:successor": Row(
        kwargs={"year": 2023, "unit_slug": "phuong-tan-phong"},
        get=every(403, lanhdao=200, kinhte=200),
    ),
    "dashboards:missing_reports": Row(
        kwargs={"year": 2023, "period_code": "2023-q1"},
        get=every(403, lanhdao=200, kinhte=200),
    ),
    "dashboards:export_xlsx": Row(kwargs={"year": 2023}, get=every(403, lanhdao=200, kinhte=200)),
    "dashboards:province_docx": Row(kwargs={"year": 2023}, get=only_kinhte(200)),
    # The workbook made by the task queue: whoever sees the dashboards asks for one (POST
    # queues it and opens its page); a request is its requester's alone (kinhte's here):
    # anyone else who sees the dashboards gets 404, the rest 403.
    "dashboards:export_request": Row(
        kwargs={"year": 2023},
        get=every(403, lanhdao=200, kinhte=200),
        post=every(403, lanhdao=REDIRECT, kinhte=REDIRECT),
    ),
    "dashboards:export_status": Row(
        kwargs={"pk": "export:kinhte"},
        get=every(403, lanhdao=404, kinhte=200),
        post=every(403, lanhdao=404, kinhte=REDIRECT),
    ),
    "dashboards:export_status_json": Row(
        kwargs={"pk": "export:kinhte"}, get=every(403, lanhdao=404, kinhte=200)
    ),
    "dashboards:export_download": Row(
        kwargs={"pk": "export:kinhte"}, get=every(403, lanhdao=404, kinhte=200)
    ),
    "audit:log": Row(get=only_kinhte(200)),
    "official_email": Row(
        kwargs={"pk": "user:santhang"}, get=only_kinhte(200), post=only_kinhte(REDIRECT)
    ),
    "notifications:inbox": Row(get=every(200)),
    # San Thàng's own notification: opened by its recipient, unknown to everybody else.
    "notifications:open": Row(
        kwargs={"pk": "notification:santhang"},
        get=every(404, santhang=REDIRECT),
    ),
    "notifications:read_all": Row(get=every(405), post=every(REDIRECT)),
    "notifications:preferences": Row(get=every(200), post=every(REDIRECT)),
    "notifications:sent_log": Row(get=only_kinhte(200)),
}

# The admin is for staff only (kinhte): everybody else is sent to the admin's login page.
ADMIN_SPECIAL = {
    "admin:login": Row(get=every(200, anonymous=200, kinhte=REDIRECT)),
    # Not staff: sent to the admin's index, which sends them to its login page.
    "admin:logout": Row(
        get=every(REDIRECT, anonymous=REDIRECT, kinhte=405),
        post=every(REDIRECT, anonymous=REDIRECT, kinhte=LOGIN),
    ),
}


def url_names(patterns=None, namespace="", route=""):
    """(name, pattern, full route) of every URL; unnamed ones are called "ns:/route"."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        full = route + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, prefix, full)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or '/' + full}", pattern, full


ALL_URLS = {name: pattern for name, pattern, _ in url_names()}
ROUTES = {name: route for name, _, route in url_names()}
ADMIN_URLS = sorted(name for name in ALL_URLS if name.startswith("admin:"))


def test_every_url_has_a_row():
    unnamed = [name for name in ALL_URLS if ":/" not in name and name.startswith("/")]
    assert unnamed == [], "give these URL patterns a name"
    missing = sorted(
        name for name in ALL_URLS if not name.startswith("admin:") and name not in EXPECTED
    )
    assert missing == [], f"add these URLs to EXPECTED in {__name__}: {missing}"
    assert sorted(set(EXPECTED) - set(ALL_URLS)) == [], "rows for URLs that no longer exist"


def _plan_records():
    from plans.models import Citation, Section, Task
    from reporting.models import Target

    return {"target": Target, "task": Task, "section": Section, "citation": Citation}


PLAN_RECORDS = _plan_records()


def _value(value):
    from plans.models import OcopProduct

    if value == "ocop":
        return OcopProduct.objects.order_by("pk").first().pk
    if value in PLAN_RECORDS:
        return PLAN_RECORDS[value].objects.filter(plan__year=2023).order_by("pk").first().pk
    if isinstance(value, str) and value.startswith("notification:"):
        from notifications.models import Kind, Notification

        user = get_user_model().objects.get(username=value.removeprefix("notification:"))
        return Notification.objects.get_or_create(
            recipient=user,
            key="thu-nghiem",
            defaults={"kind": Kind.OVERDUE, "url": "/reports/2023/", "created_on": date.today()},
        )[0].pk
    if isinstance(value, str) and value.startswith("export:"):
        return _made_export(value.removeprefix("export:")).pk
    if isinstance(value, str) and value.startswith("user:"):
        return get_user_model().objects.get(username=value.removeprefix("user:")).pk
    return value


def _made_export(username):
    """A workbook the task queue made for this person, still kept."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from dashboards.models import ExportRequest

    export = ExportRequest.objects.filter(requested_by__username=username).first()
    if export is None:
        export = ExportRequest(
            requested_by=get_user_model().objects.get(username=username),
            plan_id=PLAN_RECORDS["target"].objects.filter(plan__year=2023).first().plan_id,
            parameters={"as_of": "2023-03-14", "today": "2023-04-01", "period": "2023-q1"},
            state=ExportRequest.State.DONE,
            file_name="Chỉ tiêu và thực hiện 2023 - Quý 1-2023.xlsx",
            finished_at=timezone.now(),
            expires_at=timezone.now() + timedelta(hours=24),
        )
        export.file.save("bang-chi-tieu.xlsx", ContentFile(b"PK"), save=True)
    return export


@pytest.fixture
def ocop_product(plan, unit):
    from plans.models import OcopProduct

    return OcopProduct.objects.create(
        name="Chè Shan tuyết San Thàng",
        group="thuc_pham",
        owner="HTX San Thàng",
        unit=unit("san-thang"),
        score=72,
        decision_number="123/QĐ-UBND",
        decision_date=date(2023, 3, 1),
        issuing_level="tinh",
    )


def _check(client, method, url, expected, role):
    response = getattr(client, method)(url)
    if expected == LOGIN:
        ok = response.status_code == 302 and "login/" in response["Location"]
    elif expected == REDIRECT:
        ok = response.status_code == 302 and "login/" not in response["Location"]
    else:
        ok = response.status_code == expected
    where = response.get("Location", "")
    return None if ok else f"{method.upper()} {url} as {role}: {response.status_code} {where}"


def _users():
    users = get_user_model().objects.in_bulk(
        [r for r in ROLES if r != "anonymous"], field_name="username"
    )
    return {role: users.get(role) for role in ROLES}


def _run(client, rows_and_urls):
    failures = []
    users = _users()
    for role, user in users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for row, url in rows_and_urls:
            for method in ("get", "post"):
                table = getattr(row, method)
                if table is not None:
                    failures.append(_check(client, method, url, table[role], role))
    return [failure for failure in failures if failure]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_the_expected_answer(client, ocop_product, name):
    row = EXPECTED[name]
    url = reverse(name, kwargs={key: _value(value) for key, value in row.kwargs.items()})
    assert _run(client, [(row, url)]) == []


def _admin_url(name):
    if ":/" in name:  # unnamed: the admin's old change URL and its catch-all
        route = re.sub(r"<[^>]+>", "1", ROUTES[name]).replace("(?:.*)", "nowhere/")
        return "/" + route
    pattern = ALL_URLS[name].pattern
    if hasattr(pattern, "converters") and pattern.converters:
        kwargs = {key: "plans" if key == "app_label" else "1" for key in pattern.converters}
        return reverse(name, kwargs=kwargs)
    regex = pattern.regex
    if regex.groupindex:
        kwargs = {key: "plans" if key == "app_label" else "1" for key in regex.groupindex}
        return reverse(name, kwargs=kwargs)
    return reverse(name, args=["1"] * regex.groups)


def test_admin_is_for_staff_only(client, ocop_product):
    generic = Row(get=every(LOGIN, kinhte="staff"))
    rows = [(ADMIN_SPECIAL.get(name, generic), _admin_url(name)) for name in ADMIN_URLS]
    assert len(rows) > 50
    failures = []
    for role, user in _users().items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for row, url in rows:
            for method in ("get", "post"):
                table = getattr(row, method)
                if table is None:
                    continue
                expected = table[role]
                if expected == "staff":
                    # Staff may open or be refused a page, but never crash it.
                    status = client.get(url).status_code
                    if status >= 500:
                        failures.append(f"GET {url} as {role}: {status}")
                else:
                    failures.append(_check(client, method, url, expected, role))
    failures = [failure for failure in failures if failure]
    assert failures == [], "\n".join(failures)

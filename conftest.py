"""Shared test setup: the 2023 plan loaded once, and one user for every role."""

import os
import shutil

import pytest
from django.core.management import call_command

# Playwright's fixtures start an event loop; Django refuses database work inside one
# unless told the tests know what they are doing.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "mat-khau-thu-2023"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_plan_and_people()


@pytest.fixture
def plan(db):
    from plans.models import Plan

    return Plan.objects.get(year=2023)


@pytest.fixture
def unit(db):
    from plans.models import AdministrativeUnit

    return lambda slug: AdministrativeUnit.objects.get(slug=slug)


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.select_related("profile").get(username=username)


@pytest.fixture
def economic_officer(db):
    return _user("kinhte")


@pytest.fixture
def leader(db):
    return _user("lanhdao")


@pytest.fixture
def san_thang_official(db):
    return _user("santhang")


@pytest.fixture
def outsider(db):
    """Logged in, but given no role in the plan."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("nguoingoai", password=PASSWORD)


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def load_plan_and_people():
    call_command("loaddata", "plan_2023", "seasonal_profiles", verbosity=0)
    call_command("create_periods", 2023, verbosity=0)
    call_command("record_history_baseline", verbosity=0)
    call_command("create_demo_users", password=PASSWORD, verbosity=0)


@pytest.fixture
def live_plan(live_server):
    """A running server with the plan; transactional tests empty the database after each."""
    load_plan_and_people()
    return live_server


@pytest.fixture
def log_in(live_plan):
    def log_in_as(page, username):
        page.goto(f"{live_plan.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{live_plan.url}/reports/2023/")

    return log_in_as


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }

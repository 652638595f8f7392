"""Shared test setup: the 2023 plan loaded once, and one user for every role."""

import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

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


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Files the application keeps for later (queued exports) go to a folder of the test's."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def run_worker(monkeypatch):
    """Runs every queued task as `manage.py db_worker --batch` does, in the test's thread:
    inside the test's transaction (the worker's connection check would close it, so it is
    skipped), or beside the live server, whose in-memory SQLite connection it then shares
    (a second connection to it would meet "database table is locked")."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run(queue="default"):
        db_worker.Worker(
            queue_names=[queue],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()

    return run


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
    # Apart: their units have no fixed numbers, so PostgreSQL's sequences must be reset
    # first. Lai Châu's 38 units of today (load_admin_units) before the reform's successions,
    # which name two of them.
    call_command("loaddata", "lai_chau_2025", "reform_2025", verbosity=0)
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


# --- Every page a browser journey visits, checked as a person with any eye or screen would

AXE = Path(__file__).parent / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (1280, 375)
BLOCKING = ("serious", "critical")
_AXE_RESULTS = "AXE_RESULTS"  # a file to append each page's counts to, for the record


def _checked_urls(visited: list[str]) -> list[str]:
    seen, urls = set(), []
    for url in visited:
        path = urlsplit(url).path
        if not url.startswith("http") or path.endswith((".xlsx", ".docx")) or url in seen:
            continue
        seen.add(url)
        urls.append(url)
    return urls


def check_pages(browser, storage_state, visited: list[str]) -> list[str]:
    """Open each visited page again, logged in the same way, at 1280 and 375 px; run
    axe-core (loaded from disk, as bin/test installs it) and measure the page's width.
    Returns what a person would stop at; an empty list when every page is fine."""
    problems = []
    for width in WIDTHS:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, storage_state=storage_state, bypass_csp=True
        )
        page = context.new_page()
        for url in _checked_urls(visited):
            page.goto(url)
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "axe.run().then(r => r.violations.map(v => ({id: v.id, impact: v.impact, "
                "nodes: v.nodes.map(n => n.target.join(' '))})))"
            )
            wide = page.evaluate("document.documentElement.scrollWidth")
            path = urlsplit(url).path
            if os.environ.get(_AXE_RESULTS):
                with open(os.environ[_AXE_RESULTS], "a") as record:
                    counts: dict[str, int] = {}
                    for violation in violations:
                        counts[violation["impact"]] = counts.get(violation["impact"], 0) + 1
                    ids = sorted(f"{v['impact']}:{v['id']}" for v in violations)
                    record.write(
                        json.dumps({"path": path, "width": width, **counts, "ids": ids}) + "\n"
                    )
            for violation in violations:
                if violation["impact"] in BLOCKING:
                    problems.append(
                        f"{path} at {width} px: axe {violation['impact']} {violation['id']} "
                        f"on {violation['nodes'][:3]}"
                    )
            if wide > width:
                problems.append(f"{path} at {width} px: the page is {wide} px wide")
        context.close()
    return problems


@pytest.fixture
def page(page, browser):
    """Playwright's page, and after the journey every page it went to checked with
    axe-core and for sideways scrolling, at both widths."""
    visited: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: visited.append(frame.url) if frame == page.main_frame else None,
    )
    yield page
    if page.is_closed():
        return
    problems = check_pages(browser, page.context.storage_state(), visited)
    assert problems == [], "\n".join(problems)

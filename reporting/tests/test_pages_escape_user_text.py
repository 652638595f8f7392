"""Text typed by users (indicator names and units, unit names,
narratives, comments, query strings) is escaped exactly once on every page whose
pieces are now written by Python: the dashboard, the report page (edit and read-only)
and the overview, in both languages."""

import re

import pytest
from django.test import Client

from plans.models import AdministrativeUnit
from reporting.models import Indicator

TRICKY = "Lúa <b>\"x\"</b> & 'y'"
ESCAPED = "Lúa &lt;b&gt;&quot;x&quot;&lt;/b&gt; &amp; &#x27;y&#x27;"


def _check(html: str) -> None:
    assert "<b>" not in html, html[html.index("<b>") - 200 : html.index("<b>") + 100]
    # Escaped twice: an entity whose & was escaped again.
    twice = re.search(r"&amp;(lt|gt|quot|amp|#x27|#39);", html)
    assert not twice, html[twice.start() - 200 : twice.end() + 100]


@pytest.fixture
def tricky(plan):
    Indicator.objects.update(name=TRICKY, unit_of_measure="<i>&ha")
    AdministrativeUnit.objects.filter(slug="san-thang").update(name=TRICKY)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_user_text_is_escaped_once_on_the_pages_written_by_python(
    tricky, client_for, leader, economic_officer, san_thang_official, saved_report, language
):
    pages = {
        leader: [
            "/dashboard/2023/?nganh=<b>&q=\"'<b>",
            "/dashboard/2023/?chi_tiet=1",
            "/dashboard/2023/chi-tieu/che-bup-tuoi-san-luong/?x=<b>",
            "/dashboard/2023/don-vi/san-thang/?x=<b>",
            "/reports/2023/",
            "/reports/2023/san-thang/2023-q1/",
        ],
        san_thang_official: ["/reports/2023/san-thang/2023-q1/"],
        economic_officer: ["/reports/2023/", "/reports/2023/san-thang/2023-q1/"],
    }
    for user, urls in pages.items():
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = language
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, url
            html = response.content.decode()
            _check(html)
            if "/reports/2023/san-thang/" in url:
                assert ESCAPED in html, url
                assert "&lt;i&gt;&amp;ha" in html, url

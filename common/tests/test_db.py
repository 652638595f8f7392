"""A bulk load leaves PostgreSQL with planner statistics, and a table without them is
named, so the benchmark can refuse to time queries planned blind."""

import pytest
from django.core.management import call_command
from django.db import connection

from common.db import analyze, missing_statistics

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="planner statistics are PostgreSQL's"
    ),
]


def test_a_table_filled_without_analyze_is_named_until_it_is_analyzed():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE stats_probe (x integer)")
        cursor.execute("INSERT INTO stats_probe SELECT generate_series(1, 1000)")
    assert missing_statistics(["stats_probe"]) == ["stats_probe: chưa có thống kê (chưa ANALYZE)"]
    analyze()
    assert missing_statistics(["stats_probe"]) == []


def test_an_empty_table_needs_no_statistics():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE stats_probe_empty (x integer)")
    assert missing_statistics(["stats_probe_empty"]) == []


def test_generated_data_has_statistics_for_every_table_the_benchmark_reads():
    call_command("generate_synthetic", provinces=1, units_per_province=2, indicators=2, stdout=None)
    tables = ["targets_reportfigure", "targets_report", "reports_areatotal"]
    assert missing_statistics(tables) == []


def test_rebuilding_totals_leaves_them_analyzed():
    call_command(
        "generate_synthetic",
        provinces=1,
        units_per_province=2,
        indicators=2,
        no_totals=True,
        stdout=None,
    )
    call_command("rebuild_totals", stdout=None)
    assert missing_statistics(["reports_areatotal"]) == []

"""Planner statistics after a bulk load.

PostgreSQL plans every query from the statistics ANALYZE gathers; autovacuum, which would
gather them eventually, may be off or slow to notice. A table filled by COPY or a bulk
INSERT and queried before ANALYZE is planned as if it were empty: the benchmark's SQL
floor ran 3× too slow that way. So every command that loads rows in bulk
(`generate_synthetic`, `rebuild_totals`, the restores in `ops.backup`) ends with
`analyze`, and the benchmark refuses a database that `missing_statistics` finds wanting.
"""

from collections.abc import Iterable

from django.db import connection
from django.db.models import Model

# A table changed by more than this share of its rows since its last ANALYZE is stale.
STALE_SHARE = 0.2


def analyze(models: Iterable[type[Model]] | None = None) -> None:
    """ANALYZE the tables of `models` (all tables if None), on PostgreSQL only."""
    if connection.vendor != "postgresql":
        return
    tables = sorted({m._meta.db_table for m in models}) if models is not None else []
    with connection.cursor() as cursor:
        # A backend sends its row counts to the shared statistics at most once a second
        # (PostgreSQL 15+): the counts of a load just committed could arrive after the
        # ANALYZE and mark its fresh statistics stale (the bench then refused the city's
        # database). Flushed first, as the backend goes idle after this statement.
        if connection.pg_version >= 150000:  # type: ignore[attr-defined]
            cursor.execute("SELECT pg_stat_force_next_flush()")
        if not tables:
            cursor.execute("ANALYZE")
            return
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def missing_statistics(tables: Iterable[str]) -> list[str]:
    """Those of `tables` that hold rows but have no planner statistics, or whose
    statistics are stale (more than STALE_SHARE of the rows changed since), each with why;
    empty on other databases."""
    if connection.vendor != "postgresql":
        return []
    wanting = []
    with connection.cursor() as cursor:
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {quoted})")
            if not cursor.fetchone()[0]:
                continue  # an empty table has nothing to gather
            cursor.execute(
                "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
                "AND tablename = %s",
                [table],
            )
            if not cursor.fetchone()[0]:
                wanting.append(f"{table}: chưa có thống kê (chưa ANALYZE)")
                continue
            cursor.execute(
                "SELECT n_live_tup, n_mod_since_analyze FROM pg_stat_user_tables "
                "WHERE relname = %s",
                [table],
            )
            row = cursor.fetchone()
            if row and row[1] > STALE_SHARE * max(row[0], 1):
                wanting.append(
                    f"{table}: thống kê đã cũ ({row[1]} dòng đổi từ lần ANALYZE trước, "
                    f"trên {row[0]})"
                )
    return wanting

"""Move every row from one database to another (SQLite → PostgreSQL), ids unchanged.

The portable path: rows go through Django's models, so types are converted the way the
application reads and writes them, on any pair of engines. Each table is read in chunks
(``iterator``) and written in batches (``bulk_create``): memory stays flat whatever the
size. Everything is written in one transaction on the target (foreign keys are checked at
commit), so a failed move leaves the target as it was. ``bulk_create`` sends no signals:
history and audit rows are copied as they are, never re-written.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, transaction

BATCH = 2000


def copied_models():
    """Every concrete table of the project, many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and not model._meta.swapped
    ]


def count_rows(alias: str) -> dict[str, int]:
    return {m._meta.db_table: m._base_manager.using(alias).count() for m in copied_models()}


def copy_database(
    source: str, target: str, *, progress: Callable[[str, int, float], None] | None = None
) -> dict[str, int]:
    """Replace the target's rows with the source's; returns rows per table."""
    models = copied_models()
    connection = connections[target]
    copied: dict[str, int] = {}
    with transaction.atomic(using=target):
        tables = [m._meta.db_table for m in models]
        with connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(
                no_style(), tables, reset_sequences=False, allow_cascade=True
            ):
                cursor.execute(sql)
        for model in models:
            started = time.monotonic()
            manager = model._base_manager
            rows = 0
            batch = []
            for obj in manager.using(source).order_by("pk").iterator(chunk_size=BATCH):
                batch.append(obj)
                if len(batch) >= BATCH:
                    manager.using(target).bulk_create(batch)
                    rows += len(batch)
                    batch = []
            if batch:
                manager.using(target).bulk_create(batch)
                rows += len(batch)
            copied[model._meta.db_table] = rows
            if progress:
                progress(model._meta.label, rows, time.monotonic() - started)
        # New rows continue after the copied ids.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    return copied

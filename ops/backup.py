"""Whole-database backup to one file and restore from it, on SQLite and PostgreSQL alike.

The file is Django's JSON serialization of every table, primary keys included, so a
restore gives back the same rows with the same ids (history and audit entries point at
them). Restore runs in one transaction: if anything fails, the database is left as it was.
"""

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import override_settings

# Sessions are not data: after a restore everybody logs in again.
EXCLUDED = ["sessions"]


def database_backup(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Write every row of every table to path (.json, or .json.gz/.json.xz compressed)."""
    call_command(
        "dumpdata",
        exclude=EXCLUDED,
        all=True,
        output=str(path),
        database=using,
        verbosity=0,
    )


def database_restore(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Replace all data with the backup's. The schema must be migrated to the same version."""
    if not Path(path).is_file():
        raise FileNotFoundError(path)
    # Loading many-to-many rows would make simple-history write new records; the file
    # already holds the history as it was.
    with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic(using=using):
        database_empty(using=using)
        call_command("loaddata", str(path), database=using, verbosity=0)
    ContentType.objects.clear_cache()


def database_empty(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete every row of every table, content types and permissions included.

    Nothing recreates content types and permissions afterwards: a restore brings them
    back from the file with their original ids.
    """
    connection = connections[using]
    postgres = connection.vendor == "postgresql"
    if postgres and connection.in_atomic_block:
        # PostgreSQL refuses to TRUNCATE a table with deferred checks still pending in
        # this transaction; run them now, and defer again for loading.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, inhibit_post_migrate=True, database=using, verbosity=0)
    if postgres and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

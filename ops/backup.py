"""Whole-database backup to one file and restore from it, on SQLite and PostgreSQL alike.

The file is Django's JSON serialization of every table, primary keys included, so a
restore gives back the same rows with the same ids (history and audit entries point at
them). Restore runs in one transaction: if anything fails, the database is left as it was.
"""

from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, transaction

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
    with transaction.atomic(using=using):
        # Content types and permissions come from the file with their original ids,
        # so nothing may recreate them in between.
        call_command(
            "flush", interactive=False, inhibit_post_migrate=True, database=using, verbosity=0
        )
        call_command("loaddata", str(path), database=using, verbosity=0)
    ContentType.objects.clear_cache()

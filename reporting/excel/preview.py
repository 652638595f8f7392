"""What confirming an upload would change, shown before anything is saved.

The list is reporting.changes.report_changes, the one services.report_save records, so
the preview shows exactly the history's lines (labels and values in Vietnamese, as the
history keeps them). Pure Python over what report_contents already fetched: no query per
row.
"""

from dataclasses import dataclass

from ..changes import Change, ReportInput, Saved, report_changes
from ..selectors import ReportContents


@dataclass(frozen=True)
class Preview:
    changes: list[Change]
    version: int  # the report's version now; confirming sends it back to catch a later save
    changed_since_download: bool  # someone saved the report after the file was downloaded


def upload_preview(
    contents: ReportContents, *, data: ReportInput, downloaded_version: int | None
) -> Preview:
    report = contents.report
    version = report.version if report else 0
    return Preview(
        changes=report_changes(scope=contents.scope, saved=Saved.of_contents(contents), data=data),
        version=version,
        changed_since_download=downloaded_version is not None and downloaded_version != version,
    )

"""What confirming an upload would change, shown before anything is saved.

Pure Python over what report_contents already fetched: no query per row.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ..models import TaskProgress
from ..selectors import ReportContents
from ..services import ReportInput, shown_value


@dataclass
class Change:
    label: str
    old: str
    new: str


def changes_for(contents: ReportContents, data: ReportInput) -> list[Change]:
    """What saving `data` would change, labelled as the report's history labels it.

    Pure Python over what report_contents already fetched: no query per row.
    """
    changes: list[Change] = []

    def compare(label, old, new):
        if shown_value(old) != shown_value(new):
            changes.append(Change(str(label), shown_value(old), shown_value(new)))

    for line in contents.scope.lines:
        if line.indicator.pk in data.figures:
            indicator = line.indicator
            compare(
                f"{indicator.name} ({indicator.unit_of_measure})",
                line.value,
                data.figures[indicator.pk],
            )
    for task in contents.scope.tasks:
        if task.pk not in data.tasks:
            continue
        status, narrative = data.tasks[task.pk]
        current = contents.task_progress.get(task.pk)
        compare(
            _("Nhiệm vụ %(code)s – tình hình") % {"code": task.code},
            TaskProgress.Status(
                current.status if current else TaskProgress.Status.NOT_STARTED
            ).label,
            TaskProgress.Status(status).label,
        )
        compare(
            _("Nhiệm vụ %(code)s – kết quả") % {"code": task.code},
            current.narrative if current else "",
            narrative,
        )
    for work in contents.scope.works:
        if work.pk not in data.works:
            continue
        disbursed, narrative = data.works[work.pk]
        current = contents.work_progress.get(work.pk)
        compare(
            _("%(work)s – giải ngân (đồng)") % {"work": work.name},
            current.disbursed_vnd if current else None,
            disbursed,
        )
        compare(
            _("%(work)s – tình hình") % {"work": work.name},
            current.narrative if current else "",
            narrative,
        )
    report = contents.report
    compare(
        _("Khó khăn, vướng mắc, đề xuất"), report.difficulties if report else "", data.difficulties
    )
    return changes

"""What saving a report changes, in the words the report's history keeps.

services.report_save records the list report_changes returns, one ReportChange row per
item, and the Excel preview shows the same list before anything is saved, so what a
person confirms is what the history says. The history is the official record: labels
and values are Vietnamese whatever language the person saving reads, and every value is
written as shown_value writes it, so 130,000 stored and 130 typed are no change.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

from django.conf import settings
from django.utils import translation

from common.numbers import format_number

from .models import TaskProgress, WorkProgress
from .selectors import ReportContents, ReportScope


@dataclass
class ReportInput:
    """What a form or a spreadsheet says the report should contain."""

    figures: dict[int, Decimal | None] = field(default_factory=dict)
    tasks: dict[int, tuple[str, str]] = field(default_factory=dict)
    works: dict[int, tuple[Decimal | None, str]] = field(default_factory=dict)
    difficulties: str = ""
    # The official's explanation (giải trình) of a figure the checks warned about.
    explanations: dict[int, str] = field(default_factory=dict)


def shown_value(value: object) -> str:
    """A value as the report's history writes it (and the Excel preview shows it)."""
    if value is None or value == "":
        return ""
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


class Part(Enum):
    """Which part of the report a change is to; with Change.pk, what a save must write."""

    FIGURE = "figure"  # pk: the indicator
    TASK = "task"  # pk: the task
    WORK = "work"  # pk: the infrastructure work
    DIFFICULTIES = "difficulties"
    STATUS = "status"  # the report's own status, which the workflow's steps change


@dataclass(frozen=True)
class Change:
    """One value a save changes: a ReportChange row before it is written."""

    label: str
    old: str
    new: str
    part: Part
    pk: int | None = None


@dataclass(frozen=True)
class Saved:
    """What the report holds now, as far as a save can change it."""

    figures: Mapping[int, Decimal]  # by indicator
    tasks: Mapping[int, TaskProgress]  # by task
    works: Mapping[int, WorkProgress]  # by work
    difficulties: str = ""

    @classmethod
    def of_contents(cls, contents: ReportContents) -> "Saved":
        """From what report_contents already read: no query."""
        return cls(
            figures={
                line.indicator.pk: line.value
                for line in contents.scope.lines
                if line.value is not None
            },
            tasks=contents.task_progress,
            works=contents.work_progress,
            difficulties=contents.report.difficulties if contents.report else "",
        )


def report_changes(*, scope: ReportScope, saved: Saved, data: ReportInput) -> list[Change]:
    """Every value that saving `data` over `saved` changes, in the report's order.

    Only what the unit's scope offers is compared: an indicator, task or work that is not
    the unit's is ignored, as report_save ignores it. A task nobody has reported on yet
    counts as not started, with no narrative.
    """
    changes: list[Change] = []

    def compare(label: str, old: object, new: object, part: Part, pk: int | None) -> None:
        old_text, new_text = shown_value(old), shown_value(new)
        if old_text != new_text:
            changes.append(Change(label, old_text, new_text, part, pk))

    with translation.override(settings.LANGUAGE_CODE):  # choices' labels are lazy
        for line in scope.lines:
            indicator = line.indicator
            if indicator.pk in data.figures:
                compare(
                    f"{indicator.name} ({indicator.unit_of_measure})",
                    saved.figures.get(indicator.pk),
                    data.figures[indicator.pk],
                    Part.FIGURE,
                    indicator.pk,
                )
        for task in scope.tasks:
            if task.pk not in data.tasks:
                continue
            status, narrative = data.tasks[task.pk]
            current = saved.tasks.get(task.pk)
            old_status = current.status if current else TaskProgress.Status.NOT_STARTED
            compare(
                f"Nhiệm vụ {task.code} – tình hình",
                TaskProgress.Status(old_status).label,
                TaskProgress.Status(status).label,
                Part.TASK,
                task.pk,
            )
            compare(
                f"Nhiệm vụ {task.code} – kết quả",
                current.narrative if current else "",
                narrative,
                Part.TASK,
                task.pk,
            )
        for work in scope.works:
            if work.pk not in data.works:
                continue
            disbursed, narrative = data.works[work.pk]
            progress = saved.works.get(work.pk)
            compare(
                f"{work.name} – giải ngân (đồng)",
                progress.disbursed_vnd if progress else None,
                disbursed,
                Part.WORK,
                work.pk,
            )
            compare(
                f"{work.name} – tình hình",
                progress.narrative if progress else "",
                narrative,
                Part.WORK,
                work.pk,
            )
        compare(
            "Khó khăn, vướng mắc, đề xuất",
            saved.difficulties,
            data.difficulties,
            Part.DIFFICULTIES,
            None,
        )
    return changes

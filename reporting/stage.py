"""The five-year plan's targets, as Phòng Kinh tế enters them.

The five-year plan (Kế hoạch 2169/KH-UBND, 2021–2025) is a document the annual plans
cite, not a plan kept here; what the application needs of it is one figure per indicator
to show beside each year's. The figures are entered by hand because none came with the
2023 plan. Each save is on record in the model's history with who, when and old → new,
which the audit log copies as it does every plan-data change.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.access import may_edit_plan_data
from plans.models import LegalDocument

from .models import Indicator, StageTarget


@dataclass(frozen=True)
class StageEntry:
    """What was typed for one indicator: no value removes the target."""

    value: Decimal | None
    source_text: str = ""


def stage_targets_save(
    *,
    actor: AbstractBaseUser,
    document: LegalDocument,
    entries: Mapping[int, StageEntry],
) -> list[StageTarget]:
    """Set the five-year plan's target of each indicator in `entries` (by indicator id);
    only what changed is written, so the history holds real changes only."""
    if not may_edit_plan_data(actor):
        raise PermissionDenied
    with transaction.atomic():
        # Lock the document's row: two saves at once are taken one after the other.
        LegalDocument.objects.select_for_update().get(pk=document.pk)
        existing = {
            t.indicator_id: t
            for t in StageTarget.objects.filter(document=document, indicator_id__in=entries)
        }
        known = set(Indicator.objects.filter(pk__in=entries).values_list("pk", flat=True))
        changed = []
        for indicator_id, entry in entries.items():
            if indicator_id not in known:
                continue
            target = existing.get(indicator_id)
            text = entry.source_text.strip()
            if entry.value is None:
                if target is not None:
                    target._history_user = actor  # type: ignore[attr-defined]
                    target.delete()
                continue
            if target is None:
                target = StageTarget(document=document, indicator_id=indicator_id)
            elif target.value == entry.value and target.source_text == text:
                continue
            target.value, target.source_text = entry.value, text
            target._history_user = actor  # type: ignore[attr-defined]
            target.save()
            changed.append(target)
        return changed

"""How a target is judged: achieved, on track, at risk, behind, or no data yet.

A flow (tonnes harvested, kilometres built) is measured against the share of the year's
amount that should be in by the cut-off, along the indicator's seasonal profile when it
has one, otherwise along a straight line over the reporting windows of Nghị định
09/2019 (reporting.periods); a stock (hectares, herds) must be held all year, so it is
measured against the whole target. The thresholds and the words that explain each
status are here and nowhere else: the dashboard, the Excel file and the report to the
province all show what `judge` says.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.numbers import format_number
from planning.selectors import Revision
from reporting.models import Indicator, SeasonalProfile, Target
from reporting.periods import window_end, window_start, year_first_day, year_last_day

HUNDRED = Decimal(100)


class Status:
    ACHIEVED = "dat"
    ON_TRACK = "dung_tien_do"
    AT_RISK = "co_nguy_co"
    BEHIND = "cham"
    NO_DATA = "chua_co_so_lieu"
    LABELS = {
        ACHIEVED: gettext_lazy("Đã đạt"),
        ON_TRACK: gettext_lazy("Đúng tiến độ"),
        AT_RISK: gettext_lazy("Có nguy cơ"),
        BEHIND: gettext_lazy("Chậm"),
        NO_DATA: gettext_lazy("Chưa có số liệu"),
    }
    ORDER = [BEHIND, AT_RISK, NO_DATA, ON_TRACK, ACHIEVED]
    # Below this share of what should be done by now, a target is behind rather than at risk.
    FLOW_AT_RISK = Decimal("0.8")
    STOCK_AT_RISK = Decimal("0.9")


def expected_share(profile: SeasonalProfile | None, year: int, as_of: date) -> Decimal:
    """Share of the annual amount that should be in by `as_of`, from 0 to 1.

    Month m is the reporting window from the 15th of m-1 to the 14th of m; without a
    profile the year is a straight line over those windows.
    """
    year_start, year_end = year_first_day(year), year_last_day(year)
    if as_of < year_start:
        return Decimal(0)
    if as_of >= year_end:
        return Decimal(1)
    if profile is None:
        return Decimal((as_of - year_start).days + 1) / Decimal((year_end - year_start).days + 1)
    total = Decimal(0)
    for month, share in enumerate(profile.shares, start=1):
        starts, ends = window_start(year, month), window_end(year, month)
        if ends <= as_of:
            total += share
        elif starts <= as_of:
            total += share * Decimal((as_of - starts).days + 1) / Decimal((ends - starts).days + 1)
    return total / HUNDRED


def value_in_force(target: Target, as_of: date, revisions: Sequence[Revision]) -> Decimal:
    """The target's value in force at the cut-off `as_of`: an amendment applies to the
    periods whose cut-off is on or after its decision's date, so before the first later
    amendment the value is that amendment's old one. `revisions` oldest first."""
    later = [r for r in revisions if r.decided_on > as_of]
    return later[0].old if later else target.value


def amendment_note(target: Target, as_of: date, revisions: Sequence[Revision]) -> str:
    """What the judgement says when the target was amended during the year."""
    if not revisions:
        return ""
    uom = target.indicator.unit_of_measure
    notes = []
    for r in revisions:
        change = _(
            "Chỉ tiêu điều chỉnh từ %(old)s thành %(new)s %(uom)s "
            "theo Quyết định %(number)s ngày %(date)s"
        ) % {
            "old": format_number(r.old),
            "new": format_number(r.new),
            "uom": uom,
            "number": r.decision_number,
            "date": r.decided_on.strftime("%d/%m/%Y"),
        }
        notes.append(change)
    value = format_number(value_in_force(target, as_of, revisions))
    return (
        "; ".join(notes)
        + "; "
        + _("số liệu đến ngày %(date)s được so với chỉ tiêu %(value)s %(uom)s đang có hiệu lực.")
        % {"date": as_of.strftime("%d/%m/%Y"), "value": value, "uom": uom}
    )


class Judgement(NamedTuple):
    status: str
    explanation: str
    # For a flow: the share of the year's amount due by the cut-off.
    expected_share: Decimal | None = None


def judge(
    target: Target,
    actual: Decimal | None,
    *,
    year: int,
    as_of: date,
    profile: SeasonalProfile | None,
    revisions: Sequence[Revision] = (),
) -> Judgement:
    """A target's status on `as_of` given its actual to date, and why in words; against
    the value in force at `as_of` when amendments (`revisions`) changed it."""
    judgement = _judge(
        target,
        actual,
        value_in_force(target, as_of, revisions),
        year=year,
        as_of=as_of,
        profile=profile,
    )
    note = amendment_note(target, as_of, revisions)
    if note:
        return judgement._replace(explanation=f"{judgement.explanation} {note}")
    return judgement


def _judge(
    target: Target,
    actual: Decimal | None,
    value: Decimal,
    *,
    year: int,
    as_of: date,
    profile: SeasonalProfile | None,
) -> Judgement:
    uom = target.indicator.unit_of_measure
    if actual is None:
        return Judgement(Status.NO_DATA, _("Chưa có số liệu được tính."))
    actual_text = f"{format_number(actual)} {uom}"
    target_text = f"{format_number(value)} {uom}"
    if target.comparison == Target.Comparison.AT_MOST:
        return Judgement(
            Status.ACHIEVED if actual <= value else Status.BEHIND,
            _("Không được vượt %(target)s; hiện %(actual)s.")
            % {"target": target_text, "actual": actual_text},
        )
    if actual >= value:
        return Judgement(
            Status.ACHIEVED,
            _("Đạt %(actual)s, không thấp hơn chỉ tiêu %(target)s.")
            % {"actual": actual_text, "target": target_text},
        )
    if target.indicator.behaviour != Indicator.Behaviour.FLOW:
        ratio = actual / value if value else Decimal(1)
        return Judgement(
            Status.AT_RISK if ratio >= Status.STOCK_AT_RISK else Status.BEHIND,
            _(
                "Chỉ tiêu hiện có phải giữ suốt năm: %(actual)s so với %(target)s "
                "(%(share)s%%); từ 90%% là có nguy cơ, dưới 90%% là chậm."
            )
            % {
                "actual": actual_text,
                "target": target_text,
                "share": format_number(ratio * HUNDRED, 1),
            },
        )
    share = expected_share(profile, year, as_of)
    basis = _("theo mùa vụ của chỉ tiêu") if profile is not None else _("theo đường thẳng cả năm")
    if share == 0:
        return Judgement(
            Status.ON_TRACK,
            _("Đến %(date)s chưa đến vụ (%(basis)s), chưa cần có sản lượng.")
            % {"date": as_of.strftime("%d/%m/%Y"), "basis": basis},
            share,
        )
    expected = value * share
    ratio = actual / expected
    if ratio >= 1:
        status = Status.ON_TRACK
    elif ratio >= Status.FLOW_AT_RISK:
        status = Status.AT_RISK
    else:
        status = Status.BEHIND
    explanation = _(
        "Đến %(date)s cần đạt %(share)s%% chỉ tiêu năm (%(basis)s) = %(expected)s; "
        "thực hiện %(actual)s, bằng %(ratio)s%% mức cần đạt (từ 80%% là có nguy cơ, "
        "dưới 80%% là chậm)."
    ) % {
        "date": as_of.strftime("%d/%m/%Y"),
        "share": format_number(share * HUNDRED, 1),
        "basis": basis,
        "expected": f"{format_number(expected, 1)} {uom}",
        "actual": actual_text,
        "ratio": format_number(ratio * HUNDRED, 1),
    }
    return Judgement(status, explanation, share)

"""Data-quality checks run on a report's figures when they are saved.

The rules are data (QualityRule, edited by Phòng Kinh tế in the admin); with none
entered, the built-in ones below apply, the same set a fresh database is given:

- a part may not exceed its whole, by the plan's own structure (Indicator.part_of: tea
  in business ≤ tea area cared for): an error, the figure is not saved;
- a figure far from the unit's own approved history (a robust z-score on the median and
  the median absolute deviation, or min-max, as DHIS2 generates them; only with enough
  approved periods): a warning;
- a maintained area (a stock with the unit's own target) far from that target or from
  the unit's last approved figure: a warning;
- yield (output per hectare) only where Phòng Kinh tế has entered bounds: none is
  invented.

A warning lets the figure be saved; the official writes a short explanation (giải trình)
before the report can be sent (services.report_submit). A rule naming an indicator (and a
unit) takes the place of the general rule of its kind for it; an inactive one switches
the check off there. Two queries, whatever the number of figures.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from common.numbers import format_number

from .models import QualityRule, Report, ReportFigure, ReportingPeriod
from .selectors import IndicatorLine, ReportScope

Kind, Severity, Method = QualityRule.Kind, QualityRule.Severity, QualityRule.Method

# What a fresh database holds (migration 0006) and what applies while no rule is entered.
BUILT_IN = (
    {"kind": Kind.PART_OF_WHOLE, "severity": Severity.ERROR},
    {
        "kind": Kind.HISTORY,
        "severity": Severity.WARNING,
        "method": Method.ROBUST_Z,
        "threshold": Decimal("3.5"),
        "min_history": 3,
    },
    {"kind": Kind.PLAN, "severity": Severity.WARNING, "threshold": Decimal("50")},
)
# 0,6745 makes the median absolute deviation comparable to a standard deviation.
MAD_SCALE = Decimal("0.6745")


@dataclass(frozen=True)
class Finding:
    indicator_id: int
    severity: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass(frozen=True)
class Past:
    kind: str
    ends_on: date
    period_name: str
    value: Decimal


def rules_in_force() -> list[QualityRule]:
    rules = list(QualityRule.objects.all())
    return rules or [QualityRule(**rule) for rule in BUILT_IN]


def _chosen(
    rules: Iterable[QualityRule], kind: str, indicator_id: int, unit_id: int
) -> QualityRule | None:
    """The most specific rule of a kind for an indicator and unit, or None."""
    fitting = [
        r
        for r in rules
        if r.kind == kind
        and r.indicator_id in (None, indicator_id)
        and r.unit_id in (None, unit_id)
    ]
    if not fitting:
        return None
    best = max(fitting, key=lambda r: (r.indicator_id is not None, r.unit_id is not None))
    return best if best.active else None


def _n(value: Decimal) -> str:
    return format_number(value)


def check_figures(
    scope: ReportScope, period: ReportingPeriod, figures: Mapping[int, Decimal | None]
) -> list[Finding]:
    """What the rules say about these figures (indicator id → value) of a report."""
    rules = rules_in_force()
    present = {pk: v for pk, v in figures.items() if v is not None}
    if not present:
        return []
    lines = {line.indicator.pk: line for line in scope.lines}
    history: dict[int, list[Past]] = {}
    for indicator_id, kind, ends_on, name, value in (
        ReportFigure.objects.filter(
            report__unit=scope.unit,
            report__period__plan=period.plan_id,
            report__status=Report.Status.APPROVED,
            indicator_id__in=list(lines),
        )
        .exclude(report__period=period)
        .values_list(
            "indicator_id",
            "report__period__kind",
            "report__period__ends_on",
            "report__period__name",
            "value",
        )
    ):
        history.setdefault(indicator_id, []).append(Past(kind, ends_on, name, value))
    findings: list[Finding] = []
    for indicator_id, value in present.items():
        line = lines.get(indicator_id)
        if line is None:
            continue
        unit_id = scope.unit.pk
        checks = (
            (Kind.PART_OF_WHOLE, _part_of_whole, (line, value, lines, present)),
            (Kind.HISTORY, _history, (line, value, period, history.get(indicator_id, []))),
            (Kind.PLAN, _plan, (line, value, period, history.get(indicator_id, []))),
        )
        for kind, check, args in checks:
            rule = _chosen(rules, kind, indicator_id, unit_id)
            if rule is not None and (message := check(rule, *args)):
                findings.append(Finding(indicator_id, rule.severity, message))
        for rule in rules:
            applies = rule.kind == Kind.YIELD and rule.active and rule.unit_id in (None, unit_id)
            if (
                applies
                and rule.indicator_id == indicator_id
                and (message := _yield(rule, line, value, lines, present))
            ):
                findings.append(Finding(indicator_id, rule.severity, message))
    return findings


def _part_of_whole(
    rule: QualityRule,
    line: IndicatorLine,
    value: Decimal,
    lines: Mapping[int, IndicatorLine],
    present: Mapping[int, Decimal],
) -> str | None:
    whole_id = line.indicator.part_of_id
    if whole_id is None or whole_id not in present or whole_id not in lines:
        return None
    whole = present[whole_id]
    if value <= whole:
        return None
    uom = line.indicator.unit_of_measure
    return _("%(part)s (%(value)s %(uom)s) không được lớn hơn %(whole)s (%(total)s %(uom)s).") % {
        "part": line.indicator.name,
        "value": _n(value),
        "uom": uom,
        "whole": lines[whole_id].indicator.name,
        "total": _n(whole),
    }


def _comparable(line: IndicatorLine, period: ReportingPeriod, past: list[Past]) -> list[Past]:
    """A stock compares with every period; a flow only with periods of its own kind."""
    if line.is_flow:
        return [p for p in past if p.kind == period.kind]
    return list(past)


def _history(
    rule: QualityRule,
    line: IndicatorLine,
    value: Decimal,
    period: ReportingPeriod,
    past: list[Past],
) -> str | None:
    values = [p.value for p in _comparable(line, period, past)]
    if len(values) < max(rule.min_history, 1):
        return None
    uom = line.indicator.unit_of_measure
    threshold = rule.threshold
    if rule.method == Method.MIN_MAX:
        widen = (threshold or Decimal(0)) / 100
        low, high = min(values) * (1 - widen), max(values) * (1 + widen)
        if low <= value <= high:
            return None
        return _(
            "%(value)s %(uom)s nằm ngoài khoảng thường gặp của đơn vị "
            "(%(low)s – %(high)s %(uom)s, theo %(n)s kỳ đã duyệt)."
        ) % {"value": _n(value), "uom": uom, "low": _n(low), "high": _n(high), "n": len(values)}
    middle = Decimal(median(values))
    spread = Decimal(median(abs(v - middle) for v in values))
    limit = threshold if threshold is not None else Decimal("3.5")
    if spread == 0:
        # The unit reported the same figure each time: a change of a tenth stands out.
        if middle == 0 and value == 0 or middle and abs(value - middle) <= middle / 10:
            return None
        z_text = "∞"
    else:
        z = MAD_SCALE * abs(value - middle) / spread
        if z <= limit:
            return None
        z_text = _n(z.quantize(Decimal("0.1")))
    return _(
        "%(value)s %(uom)s cách xa mức thường gặp của đơn vị (trung vị %(median)s %(uom)s "
        "của %(n)s kỳ đã duyệt; điểm z %(z)s, ngưỡng %(limit)s)."
    ) % {
        "value": _n(value),
        "uom": uom,
        "median": _n(middle),
        "n": len(values),
        "z": z_text,
        "limit": _n(limit),
    }


def _plan(
    rule: QualityRule,
    line: IndicatorLine,
    value: Decimal,
    period: ReportingPeriod,
    past: list[Past],
) -> str | None:
    if line.is_flow:
        return None
    allowed = (rule.threshold if rule.threshold is not None else Decimal(50)) / 100
    uom = line.indicator.unit_of_measure
    parts = []
    target = line.unit_target.value if line.unit_target is not None else None
    if target and abs(value - target) / target > allowed:
        parts.append(
            _("chênh %(share)s%% so với chỉ tiêu của đơn vị (%(target)s %(uom)s)")
            % {
                "share": _n((abs(value - target) / target * 100).quantize(Decimal(1))),
                "target": _n(target),
                "uom": uom,
            }
        )
    earlier = [p for p in past if p.ends_on < period.ends_on]
    if earlier:
        last = max(earlier, key=lambda p: p.ends_on)
        if last.value and abs(value - last.value) / last.value > allowed:
            parts.append(
                _("chênh %(share)s%% so với kỳ trước (%(last)s %(uom)s, %(period)s)")
                % {
                    "share": _n((abs(value - last.value) / last.value * 100).quantize(Decimal(1))),
                    "last": _n(last.value),
                    "uom": uom,
                    "period": last.period_name,
                }
            )
    if not parts:
        return None
    return _("%(value)s %(uom)s %(parts)s.") % {
        "value": _n(value),
        "uom": uom,
        "parts": "; ".join(parts),
    }


def _yield(
    rule: QualityRule,
    line: IndicatorLine,
    value: Decimal,
    lines: Mapping[int, IndicatorLine],
    present: Mapping[int, Decimal],
) -> str | None:
    area_id = rule.area_indicator_id
    area = present.get(area_id) if area_id is not None else None
    if area_id is None or not area or area_id not in lines:
        return None
    per_ha = value / area
    if (rule.lower is None or per_ha >= rule.lower) and (
        rule.upper is None or per_ha <= rule.upper
    ):
        return None
    area_line = lines[area_id]
    return _(
        "Năng suất %(yield)s %(uom)s/%(area_uom)s ngoài khoảng Phòng Kinh tế đặt "
        "(%(low)s – %(high)s)."
    ) % {
        "yield": _n(per_ha.quantize(Decimal("0.01"))),
        "uom": line.indicator.unit_of_measure,
        "area_uom": area_line.indicator.unit_of_measure,
        "low": _n(rule.lower) if rule.lower is not None else "…",
        "high": _n(rule.upper) if rule.upper is not None else "…",
    }


def recorded(findings: Iterable[Finding]) -> dict[int, str]:
    """The warnings per indicator as the record keeps them: Vietnamese, one text each."""
    by_indicator: dict[int, list[str]] = {}
    for finding in findings:
        if not finding.is_error:
            by_indicator.setdefault(finding.indicator_id, []).append(finding.message)
    return {pk: " ".join(messages) for pk, messages in by_indicator.items()}


def check_in_vietnamese(
    scope: ReportScope, period: ReportingPeriod, figures: Mapping[int, Decimal | None]
) -> list[Finding]:
    """The findings worded for the record, whatever language the person saving reads."""
    with translation.override(settings.LANGUAGE_CODE):
        return check_figures(scope, period, figures)

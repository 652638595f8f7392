"""Charts as plain SVG geometry: drawn by the server, printable, and free of scripts.

Only presentation attributes are used (no inline <style>), so a strict Content
Security Policy does not stop them.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from common.numbers import format_number
from reporting.models import ReportingPeriod


@dataclass
class Bar:
    label: str
    value: Decimal
    width: float
    y: float
    shown: str
    color: str


@dataclass
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    max_value: Decimal


def bar_chart(
    items: list[tuple[str, Decimal | None, str]], *, width: int = 640, row: int = 28
) -> BarChart:
    """Horizontal bars, one per (label, value, color)."""
    label_width = 150
    values = [value for _label, value, _color in items if value is not None]
    max_value = max(values, default=Decimal(0)) or Decimal(1)
    span = width - label_width - 90
    bars = [
        Bar(
            label=label,
            value=value or Decimal(0),
            width=float((value or 0) / max_value * span),
            y=i * row + 6,
            shown=format_number(value) if value is not None else "—",
            color=color,
        )
        for i, (label, value, color) in enumerate(items)
    ]
    return BarChart(
        bars=bars,
        width=width,
        height=len(items) * row + 12,
        label_width=label_width,
        max_value=max_value,
    )


CHAR_WIDTH = 7  # px, an 11–12 px label's character, on the generous side
LABEL_HEIGHT = 14


@dataclass
class LineChart:
    width: int
    height: int
    points: str
    dots: list[tuple[float, float, str, str, int]]  # x, y, period, value, label offset
    target_y: float
    target_label: str
    labels: list[tuple[float, str]]
    top_label: str

    @property
    def has_data(self) -> bool:
        return bool(self.dots)


def line_chart(
    series: Sequence[tuple[ReportingPeriod, Decimal | None]],
    target: Decimal,
    *,
    width: int = 640,
    height: int = 240,
) -> LineChart:
    """The actual after each period against the target line."""
    left, right, top, bottom = 56, 44, 16, 40
    values = [value for _period, value in series if value is not None]
    top_value = max([target, *values]) * Decimal("1.1") or Decimal(1)
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(series) - 1, 1)

    def y_of(value: Decimal) -> float:
        return top + plot_h - float(value / top_value) * plot_h

    target_y, target_label = y_of(target), format_number(target)
    # The target's label sits above the line at its right end, about 7 px a character.
    target_left = width - right - CHAR_WIDTH * (len(target_label) + 9)
    dots, coords = [], []
    for i, (period, value) in enumerate(series):
        if value is None:
            continue
        x, y = left + i * step, y_of(value)
        coords.append(f"{x:.1f},{y:.1f}")
        shown = format_number(value)
        # A value's label goes above its dot, unless it would sit on the target's label
        # (an actual close to the target: "963,45" on "1.060") or on the line itself:
        # then below the dot.
        label_right = x + CHAR_WIDTH * len(shown) / 2
        near_target = (
            label_right > target_left and -LABEL_HEIGHT < target_y - (y - 8) < 2 * LABEL_HEIGHT
        )
        dots.append((x, y, period.name, shown, 18 if near_target else -8))
    labels = [(left + i * step, period.name) for i, (period, _value) in enumerate(series)]
    return LineChart(
        width=width,
        height=height,
        points=" ".join(coords),
        dots=dots,
        target_y=target_y,
        target_label=target_label,
        labels=labels,
        top_label=format_number(top_value.quantize(Decimal(1))),
    )


@dataclass
class YearBar:
    x: float
    y: float
    width: float
    height: float
    color: str
    label: str
    is_target: bool
    shown: str


@dataclass
class YearChart:
    width: int
    height: int
    bars: list[YearBar]
    labels: list[tuple[float, str]]
    baseline: float
    stage_y: float | None
    stage_label: str
    legend_y: int


def year_chart(
    years: Sequence[tuple[str, Decimal, Decimal | None, str]],
    stage: Decimal | None = None,
    *,
    width: int = 640,
    height: int = 260,
) -> YearChart:
    """Each year's target (grey) beside its result (in its status colour), and the
    five-year plan's target as a dashed line where one was entered. `years` holds
    (label, target, result or None, colour)."""
    left, right, top, bottom = 16, 16, 24, 56
    values = [target for _l, target, _r, _c in years]
    values += [result for _l, _t, result, _c in years if result is not None]
    if stage is not None:
        values.append(stage)
    top_value = max(values, default=Decimal(0)) * Decimal("1.15") or Decimal(1)
    plot_w, plot_h = width - left - right, height - top - bottom
    group = plot_w / max(len(years), 1)
    bar_w = min(group * 0.32, 80)
    baseline = top + plot_h

    def y_of(value: Decimal) -> float:
        return baseline - float(value / top_value) * plot_h

    bars, labels = [], []
    for i, (label, target, result, color) in enumerate(years):
        middle = left + group * (i + 0.5)
        for offset, value, fill, is_target in (
            (-bar_w - 2, target, "#adb5bd", True),
            (2, result, color, False),
        ):
            if value is None:
                continue
            y = y_of(value)
            shown = format_number(value)
            bars.append(
                YearBar(
                    x=middle + offset,
                    y=y,
                    width=bar_w,
                    height=baseline - y,
                    color=fill,
                    label=label,
                    is_target=is_target,
                    shown=shown,
                )
            )
        labels.append((middle, label))
    return YearChart(
        width=width,
        height=height,
        bars=bars,
        labels=labels,
        baseline=baseline,
        stage_y=y_of(stage) if stage is not None else None,
        stage_label=format_number(stage) if stage is not None else "",
        legend_y=height - 12,
    )

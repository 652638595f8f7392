"""How a spreadsheet prints: row heights that hold wrapped text, and pages that read.

Neither Excel nor LibreOffice grows a row to fit wrapped text written by a program: the
row keeps its default height and the lines run over the next row, on screen and on paper.
So the workbooks measure their own text and write each row's height. The measure is an
estimate from Times New Roman's widths (what LibreOffice renders as Liberation Serif, with
the same metrics), kept on the generous side: a row a little too tall reads, a row too
short hides words. The print tests convert the files with LibreOffice and check the PDF.

Column widths are in Excel's unit (the width of a digit in the default 11 pt font, 7 px
at 96 dpi); `column_points` turns one into points on paper at 100 %. LibreOffice renders
Calibri (the default font that sets the unit) with Carlito and Times New Roman with
Liberation Serif, both of the same widths, so its PDF measures what Excel prints.
"""

import functools
import math
from collections.abc import Iterable, Sequence

A4_LANDSCAPE_WIDTH = 841.89  # points
A4_LANDSCAPE_HEIGHT = 595.3
DEFAULT_ROW_HEIGHT = 15.0  # a row of 11 pt text that sets no height of its own
A4_PORTRAIT_WIDTH = 595.28
CELL_PADDING = 5.0  # points lost to the cell's inner margins and grid
LINE_SPACING = 1.2  # a line's height as a multiple of the font size
ROW_PADDING = 3.0


def column_points(width: float) -> float:
    """An Excel column width as points on paper at 100 %, the wider of Excel's and LibreOffice's.

    Excel adds 5 px of padding to 7 px per unit; LibreOffice draws 5,55 pt per unit.
    """
    return max((7 * width + 5) * 0.75, 5.55 * width)


def _char_width(char: str, size: float, bold: bool) -> float:
    if char == " ":
        em = 0.25
    elif char.isupper():
        em = 0.72
    elif char.isdigit():
        em = 0.5
    elif char in "iljt.,;:'!|()[]-/":
        em = 0.3
    elif char in "mwMW":
        em = 0.78
    else:
        em = 0.46  # Times New Roman's lower case, accents included, averages 0,44
    return em * size * (1.08 if bold else 1.0)


@functools.lru_cache(maxsize=8192)
def text_lines(text: str, width: float, *, size: float = 11, bold: bool = False) -> int:
    """How many lines `text` takes in a wrapping column `width` wide (Excel units).

    Remembered: a national workbook measures the same status labels and names in
    thousands of rows."""
    room = max(column_points(width) - CELL_PADDING, size)
    if len(text) * size * 0.8 <= room and "\n" not in text:
        return 1  # short text, the usual case, without measuring each letter
    lines = 0
    for paragraph in text.split("\n"):
        line = 0.0
        lines += 1
        for word in paragraph.split(" "):
            word_width = sum(_char_width(c, size, bold) for c in word)
            space = _char_width(" ", size, bold) if line else 0.0
            if line and line + space + word_width > room:
                lines += 1
                line = 0.0
                space = 0.0
            if word_width > room:  # a word longer than the column breaks anywhere
                extra = math.ceil(word_width / room) - 1
                lines += extra
                line = word_width - extra * room
            else:
                line += space + word_width
    return lines


def row_height(
    cells: Iterable[tuple[str, float, float, bool]], *, minimum_size: float = 11
) -> float:
    """The height in points of a row holding (text, column width, font size, bold) cells."""
    height = minimum_size * LINE_SPACING
    for text, width, size, bold in cells:
        height = max(height, text_lines(text, width, size=size, bold=bold) * size * LINE_SPACING)
    return round(height + ROW_PADDING, 1)


def page_groups(
    widths: Sequence[float],
    *,
    repeated: int,
    room: float,
    keep_together: Sequence[tuple[int, int]] = (),
) -> list[int]:
    """Where to break a wide sheet across pages: the 1-based columns that start a new page.

    The first `repeated` columns print on every page (print titles), so each page holds
    them plus as many of the next columns as fit in `room` points; `keep_together` lists
    (first column, count) spans that never split across two pages (an indicator's group).
    """
    spans: dict[int, int] = dict(keep_together)
    fixed = sum(column_points(w) for w in widths[:repeated])
    breaks: list[int] = []
    used = fixed
    column = repeated + 1
    while column <= len(widths):
        count = spans.get(column, 1)
        span = sum(column_points(w) for w in widths[column - 1 : column - 1 + count])
        if used > fixed and used + span > room:
            breaks.append(column)
            used = fixed
        used += span
        column += count
    return breaks

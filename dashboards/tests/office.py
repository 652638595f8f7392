"""Render a .docx or .xlsx as LibreOffice prints it and read the pages back, as a reader would.

LibreOffice draws Times New Roman with Liberation Serif, which has the same widths, so a
line that wraps here wraps in Word too. Each call has its own LibreOffice profile, so two
test workers never wait on each other's lock.
"""

import math
import re
import subprocess
from html import unescape
from pathlib import Path

from pypdf import PdfReader


def render_pdf(data: bytes, folder: Path, name: str = "document") -> Path:
    source = folder / f"{name}.docx"
    source.write_bytes(data)
    profile = folder / "lo-profile"
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / f"{name}.pdf"


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    line = next(line for line in info.stdout.splitlines() if line.startswith("Pages:"))
    return int(line.split()[1])


def page_lines(pdf: Path, page: int) -> list[str]:
    """The printed lines of one page (1-based), blank lines dropped, spacing collapsed."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def words(pdf: Path, page: int) -> list[tuple[str, float, float, float]]:
    """Each word of a page with its box: (text, x, top, height) in points from the top left.
    A word's height is about 1,3 times its printed size in Liberation Serif."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = []
    for match in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', html
    ):
        x, top, bottom, text = match.groups()
        found.append((unescape(text), float(x), float(top), float(bottom) - float(top)))
    return found


def convert_all(files: dict[str, bytes], folder: Path) -> dict[str, Path]:
    """Several files (name with its extension: content) to PDF in one LibreOffice run:
    starting LibreOffice costs more than converting, so the print tests pay it once."""
    sources = []
    for name, data in files.items():
        source = folder / name
        source.write_bytes(data)
        sources.append(str(source))
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{folder / 'lo-profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {name: folder / f"{Path(name).stem}.pdf" for name in files}


def printed_sizes(pdf: Path) -> list[list[tuple[str, float]]]:
    """Per page, each piece of text with its size on paper in points (font size times the
    text and page matrices' vertical scale, so a sheet printed at 85 % reads 9,35 for 11)."""
    pages = []
    for page in PdfReader(pdf).pages:
        found: list[tuple[str, float]] = []

        def visit(text, cm, tm, _font, size, found=found):
            if text.strip():
                scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
                found.append((text.strip(), round(size * scale, 2)))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def page_size(pdf: Path, page: int) -> tuple[float, float]:
    """(width, height) of a page in points."""
    info = subprocess.run(
        ["pdfinfo", "-f", str(page), "-l", str(page), str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    line = next(line for line in info.splitlines() if line.startswith(f"Page {page:>4} size:"))
    width, height = re.search(r"([\d.]+) x ([\d.]+)", line).groups()
    return float(width), float(height)


def overlapping_words(pdf: Path, page: int) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other: wrapped text running into the next row."""
    boxes = []
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    for match in re.finditer(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        html,
    ):
        x0, y0, x1, y1 = (float(v) for v in match.groups()[:4])
        boxes.append((unescape(match.group(5)), x0, y0, x1, y1))
    pairs = []
    for index, (text, x0, y0, x1, y1) in enumerate(boxes):
        for other, u0, v0, u1, v1 in boxes[index + 1 :]:
            width = min(x1, u1) - max(x0, u0)
            height = min(y1, v1) - max(y0, v0)
            # More than a third of the smaller box's height: not just touching ascenders.
            if width > 1 and height > min(y1 - y0, v1 - v0) / 3:
                pairs.append((text, other))
    return pairs

"""Render a .docx as LibreOffice prints it and read the pages back, as a reader would.

LibreOffice draws Times New Roman with Liberation Serif, which has the same widths, so a
line that wraps here wraps in Word too. Each call has its own LibreOffice profile, so two
test workers never wait on each other's lock.
"""

import re
import subprocess
from html import unescape
from pathlib import Path


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

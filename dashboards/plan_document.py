"""The plan written back out as the state document it is: /plans/<year>/ke-hoach.docx.

A plan kept in the application has to go back to paper to be signed, sent and filed, so
the .docx is the plan in the layout of Nghị định 30/2020 (`state_document`): agency
block and motto, number and date, "KẾ HOẠCH" and its summary, the legal bases, the
preamble, sections I–III, the closing sentence, "Nơi nhận" and the signature block. For
2023 it reads like the source document (`fixtures/source/`), word for word.

Where each part comes from, so that what Phòng Kinh tế changed on the plan pages is what
the document says:

- each section's heading (its number and title) and text are the section's own;
- a target's figure is the target's value, in the Vietnamese format: where the section
  text quotes the target (`Target.source_text`), a number there that no longer equals
  the value is replaced by it (the one written before the indicator's unit, "142ha" →
  "145ha"); a target the text does not quote is written after the section's text;
- a task of section II is a paragraph of its section's text; an edited task replaces the
  paragraph it was (the most alike, by `difflib`), a new one is added after the text;
- section III is written body by body from the tasks given to each body (its own section's
  tasks, then those of section II assigned to it), the section's text when it has none;
- the number, date and signer are the plan's once it is issued, blanks before; a draft
  says "DỰ THẢO" above everything; an amended plan names each amending decision under
  its title and prints the values as amended.

Text is Vietnamese whoever downloads it; typed text goes through `state_document.run`,
which drops what XML cannot hold, and python-docx escapes the rest.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from difflib import SequenceMatcher

from docx.document import Document as DocumentObject
from docx.shared import Pt

from common.numbers import InvalidNumber, format_number, parse_number
from planning.models import Amendment
from plans.models import Plan, Task
from plans.selectors import PlanDocument, SectionView
from reporting.models import Target

from . import state_document as doc

# A number as the plan writes it: 10.900, 329,2, 06, 2021-2025 (two numbers).
NUMBER = re.compile(r"\d+(?:\.\d{3})*(?:,\d+)?")
ALIKE = 0.6  # how alike an edited task must be to the paragraph it replaces


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _same_number(token: str, value: Decimal) -> bool:
    try:
        return parse_number(token) == value
    except InvalidNumber:
        return False


def _figure(token: str, value: Decimal) -> str:
    """The value in the token's place, with its leading zero if the plan wrote one (06)."""
    text = format_number(value)
    if token.startswith("0") and len(token) == 2 and len(text) == 1:
        return f"0{text}"
    return text


def quoted_with_value(quote: str, value: Decimal, unit_of_measure: str) -> str | None:
    """The target's own words with its current value: unchanged when a number in them is
    the value already; the number before the unit replaced when the value changed; None
    when no number in the words can be the target's."""
    if any(_same_number(m.group(), value) for m in NUMBER.finditer(quote)):
        return quote
    before_unit = re.compile(rf"({NUMBER.pattern})(\s?){re.escape(unit_of_measure)}", re.IGNORECASE)
    match = before_unit.search(quote)
    if match is None:
        return None
    token = match.group(1)
    return quote[: match.start(1)] + _figure(token, value) + quote[match.end(1) :]


def _target_line(target: Target) -> str:
    """A target the text does not quote, as one line: "- Diện tích lúa (Xã Sùng Phài): 145 ha."."""
    indicator = target.indicator
    value = format_number(target.value)
    where = ""
    if not target.is_city_wide:
        where = f" ({target.unit})"
    named = list(target.named_units.all())
    if named:
        where += " tại " + ", ".join(unit.name for unit in named)
    return f"- {indicator.name}{where}: {value} {indicator.unit_of_measure}."


def _with_tasks(text: list[str], tasks: Sequence[Task]) -> list[str]:
    """The section's paragraphs with each task's current words in the place it holds."""
    paragraphs = list(text)
    added: list[str] = []
    for task in tasks:
        words = _paragraphs(task.description)
        if not words:
            continue
        size = len(words)
        windows = [
            (start, "\n".join(paragraphs[start : start + size]))
            for start in range(len(paragraphs) - size + 1)
        ]
        wanted = "\n".join(words)
        if any(window == wanted for _start, window in windows):
            continue
        best = max(
            windows,
            key=lambda window: SequenceMatcher(None, window[1], wanted).ratio(),
            default=None,
        )
        if best is not None and SequenceMatcher(None, best[1], wanted).ratio() >= ALIKE:
            paragraphs[best[0] : best[0] + size] = words
        else:
            added.extend(words)
    return paragraphs + added


def _with_targets(text: list[str], targets: Iterable[Target]) -> list[str]:
    """The paragraphs with every target's figure as the target now has it."""
    paragraphs = list(text)
    missing: list[str] = []
    for target in targets:
        quote = (target.source_text or "").strip()
        value = target.value
        uom = target.indicator.unit_of_measure
        placed = False
        if quote:
            current = quoted_with_value(quote, value, uom)
            for index, paragraph in enumerate(paragraphs):
                if quote in paragraph and current is not None:
                    paragraphs[index] = paragraph.replace(quote, current, 1)
                    placed = True
                    break
        if not placed:
            missing.append(_target_line(target))
    return paragraphs + missing


@dataclass
class Part:
    heading: str
    depth: int
    paragraphs: list[str]


def _body_tasks(view: SectionView, body_id: int, assigned: dict[int, list[Task]]) -> list[str]:
    """Section III: the body's tasks, its own section's first."""
    elsewhere = [t for t in assigned.get(body_id, []) if t.section_id != view.section.pk]
    lines = [line for task in view.tasks for line in _paragraphs(task.description)]
    for task in elsewhere:
        lines.append(f"- Thực hiện nhiệm vụ {task.code}: {task.title}.")
    return lines or _paragraphs(view.section.body)


def plan_parts(document: PlanDocument) -> list[Part]:
    """Sections I–III as headings and paragraphs, from the plan's data (see module doc)."""
    assigned: dict[int, list[Task]] = {}
    for view in document.sections:
        for task in view.tasks:
            for body in task.bodies.all():
                assigned.setdefault(body.pk, []).append(task)
    parts = []
    for view in document.sections:
        section = view.section
        if view.body is not None:
            paragraphs = _body_tasks(view, view.body.pk, assigned)
        else:
            paragraphs = _with_tasks(_paragraphs(section.body), view.tasks)
        paragraphs = _with_targets(paragraphs, view.targets)
        heading = f"{section.number} {section.title}".strip()
        parts.append(Part(heading=heading, depth=section.depth, paragraphs=paragraphs))
    return parts


# --- Writing it ----------------------------------------------------------------------


def _agency(plan: Plan) -> tuple[list[str], str]:
    """'UBND thành phố Lai Châu' → ['ỦY BAN NHÂN DÂN', 'THÀNH PHỐ LAI CHÂU'] and 'KH-UBND'."""
    issuer = plan.issuer.strip() or f"UBND {plan.unit}"
    if issuer.upper().startswith("UBND "):
        return ["ỦY BAN NHÂN DÂN", issuer[5:]], "KH-UBND"
    return [issuer], "KH"


def _summary(plan: Plan) -> list[str]:
    """The title under "KẾ HOẠCH", the area on its own line as the plan writes it."""
    title = re.sub(r"^kế hoạch\s+", "", plan.title.strip(), flags=re.IGNORECASE)
    title = title[:1].upper() + title[1:]
    head, found, area = title.partition(" trên địa bàn ")
    return [head, f"trên địa bàn {area}"] if found else [title]


def signature_of(plan: Plan, agency: Sequence[str]) -> doc.Signature:
    """The signature block from who signed: "Nguyễn Văn A" signs for the committee as its
    chair; "KT. CHỦ TỊCH – Nguyễn Văn A" as a vice-chair on the chair's behalf (the
    decree's "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"); blank until issued."""
    signer = " ".join(str(getattr(plan, "signer", "") or "").split())
    parts = re.split(r"\s[–-]\s", signer, maxsplit=1)
    capacity, name = (parts[0].upper(), parts[1]) if len(parts) == 2 else ("", signer)
    if agency[0] != "ỦY BAN NHÂN DÂN":
        return doc.Signature(authority=[capacity or "THỦ TRƯỞNG CƠ QUAN"], name=name.strip())
    lines = ["TM. ỦY BAN NHÂN DÂN"]
    if capacity.startswith("KT."):
        lines += [capacity, "PHÓ " + capacity.removeprefix("KT.").strip()]
    else:
        lines.append(capacity.removeprefix("TM. ỦY BAN NHÂN DÂN").strip() or "CHỦ TỊCH")
    return doc.Signature(authority=lines, name=name.strip())


def _heading(document: DocumentObject, part: Part) -> None:
    paragraph = doc.paragraph(document, indent=True, after=Pt(6))
    paragraph.paragraph_format.keep_with_next = True
    doc.run(paragraph, part.heading, bold=True, italic=part.depth >= 2)


def plan_docx(document_data: PlanDocument, amendments: Sequence[Amendment] = ()) -> bytes:
    """The plan as it stands now: an amended plan with its amendments' values, and a line
    under the title for each amending decision."""
    plan = document_data.plan
    agency, symbol = _agency(plan)
    document = doc.new_document(title=plan.title, author=plan.issuer)
    if getattr(plan, "is_draft", False):
        # A draft says so above everything, as drafts sent round for comment do.
        doc.paragraph(document, "DỰ THẢO", bold=True, align=doc.CENTER, after=Pt(6))
    doc.header_block(
        document,
        superior="",
        agency=agency,
        number=doc.number_line(plan.number, symbol),
        dated=doc.place_date(plan.unit.name, plan.issued_on, plan.year),
    )
    doc.title_block(document, "KẾ HOẠCH", _summary(plan))
    for amendment in amendments:
        doc.paragraph(
            document,
            f"(Điều chỉnh theo Quyết định số {amendment.decision_number} "
            f"ngày {amendment.decided_on.strftime('%d/%m/%Y')})",
            italic=True,
            align=doc.CENTER,
        )
    for citation in document_data.basis_citations:
        doc.paragraph(document, citation.quote.strip(), italic=True)
    if plan.preamble.strip():
        doc.paragraph(document, plan.preamble.strip())
    for part in plan_parts(document_data):
        _heading(document, part)
        for line in part.paragraphs:
            doc.paragraph(document, line)
    if plan.closing.strip():
        doc.paragraph(document, plan.closing.strip())
    doc.closing_block(
        document,
        recipients=plan.recipients.splitlines(),
        signature=signature_of(plan, agency),
    )
    return doc.to_bytes(document)


def plan_filename(plan: Plan) -> str:
    return f"Kế hoạch SXNN hàng hóa năm {plan.year}.docx"

"""Render the seed texts as real-looking DOCX and PDF files (Times New Roman 13-14).

Each seed (``shared/seeds/<stem>.txt``) becomes ``corpus/docx/<stem>.docx`` built with
python-docx the way Vietnamese offices lay documents out (Nghị định 30/2020/NĐ-CP): a
borderless two-column header table (issuer and number | national motto and place-date), a
centred bold title, justified body paragraphs with bold headings, and a two-column signature
table (Nơi nhận | signature). LibreOffice (headless) then converts each DOCX to
``corpus/pdf/<stem>.pdf``. The outputs are committed, so tests never need LibreOffice.

The header fields come from the seed's own lines (the Số line, V/v lines, place-date line,
document type and title lines); the issuer, which the seeds lack, comes from the gold
metadata file ``shared/gold/<stem>.json``.

Needs (locally, not in CI): apt-get install -y --no-install-recommends
libreoffice-writer-nogui fonts-liberation2. Liberation Serif 2.x stands in for Times New
Roman with every Vietnamese glyph; with 1.x LibreOffice draws the missing ones in DejaVu,
which splits words into runs of two fonts.

Usage: python scripts/render_seeds.py [--seeds DIR] [--gold DIR] [--out corpus] [--no-pdf]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FONT = "Times New Roman"

# Inline markdown left by the seeds' conversion: ***bold italic***, **bold**, *italic*.
_EMPHASIS_RE = re.compile(r"\*\*\*|\*\*|\*")
_HEADING_RE = re.compile(r"^#{1,6}\s+")
_ESCAPE_RE = re.compile(r"\\([-.*_#+()\[\]!`>|])")
_DATE_RE = re.compile(r",\s*ngày\b")
_LOCALITY_RE = re.compile(r"\s(?=(?:tỉnh|thành phố|quận|huyện|thị xã|xã|phường|thị trấn)\s)")
_SIGN_RE = re.compile(r"^(?:TM\.|KT\.|Q\.|TL\.|TUQ\.)")


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Line:
    runs: list[Run]
    heading: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Seed:
    number: list[Line] = field(default_factory=list)  # the Số line and V/v lines
    date: Line | None = None
    title: list[Line] = field(default_factory=list)  # document type line and title lines
    body: list[Line | None] = field(default_factory=list)  # None marks a paragraph break
    recipients: list[Line] = field(default_factory=list)
    signature: list[Line] = field(default_factory=list)


def parse_line(raw: str, state: list[bool]) -> Line:
    """Split one markdown line into runs; ``state`` holds [bold, italic] across lines."""
    heading = bool(_HEADING_RE.match(raw))
    text = _ESCAPE_RE.sub(r"\1", _HEADING_RE.sub("", raw)).rstrip()
    runs: list[Run] = []
    pos = 0
    for match in _EMPHASIS_RE.finditer(text):
        if match.start() > pos:
            runs.append(Run(text[pos : match.start()], state[0], state[1]))
        mark = match.group()
        if mark in ("***", "**"):
            state[0] = not state[0]
        if mark in ("***", "*"):
            state[1] = not state[1]
        pos = match.end()
    if pos < len(text):
        runs.append(Run(text[pos:], state[0], state[1]))
    return Line(runs, heading)


def paragraphs(text: str) -> list[list[Line]]:
    """Blank-line separated blocks of parsed lines."""
    blocks: list[list[Line]] = []
    for block in re.split(r"\n\s*\n", text.strip("\n")):
        state = [False, False]
        lines = [parse_line(raw, state) for raw in block.split("\n") if raw.strip()]
        if lines:
            blocks.append(lines)
    return blocks


def split_seed(text: str) -> Seed:
    """Find the header fields, body and signature block in a seed's lines."""
    seed = Seed()
    blocks = paragraphs(text)
    i = 0
    while i < len(blocks) and seed.date is None:
        for line in blocks[i]:
            if _DATE_RE.search(line.text) and not line.text.startswith("Số"):
                seed.date = line
            else:
                seed.number.append(line)
        i += 1
    if i < len(blocks) and _is_doc_type(blocks[i][0].text):
        seed.title = blocks[i][:]
        if len(blocks[i]) == 1 and i + 1 < len(blocks):
            i += 1
            seed.title += blocks[i]
        i += 1
    tail = next((j for j in range(i, len(blocks)) if "Nơi nhận" in blocks[j][0].text), None)
    for block in blocks[i:tail]:
        seed.body.extend(block)
        seed.body.append(None)
    for block in blocks[tail:] if tail is not None else []:
        for line in block:
            target = seed.signature if seed.signature or _SIGN_RE.match(line.text.strip()) \
                else seed.recipients
            target.append(line)
    return seed


def _is_doc_type(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and stripped.upper() == stripped and len(stripped) < 40


def issuer_lines(issuer: str) -> list[str]:
    """'Ủy ban nhân dân tỉnh Lai Châu' → ['ỦY BAN NHÂN DÂN', 'TỈNH LAI CHÂU']."""
    parts = _LOCALITY_RE.split(issuer, maxsplit=1)
    return [part.upper() for part in parts]


def _font(run: Any, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _spacing(par: Paragraph, before: float = 0, after: float = 0, line: float = 1.0) -> None:
    fmt = par.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line


def add_text(container: Any, text: str, size: float, *, bold: bool = False,
             italic: bool = False, center: bool = True, first: bool = False) -> Paragraph:
    par: Paragraph
    if first and isinstance(container, _Cell):
        par = container.paragraphs[0]
    else:
        par = container.add_paragraph()
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    _spacing(par)
    _font(par.add_run(text), size, bold, italic)
    return par


def add_line(container: Any, line: Line, size: float, *, center: bool = False,
             justify: bool = True, indent: bool = True, bold: bool = False) -> Paragraph:
    par: Paragraph = container.add_paragraph()
    if center:
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif justify:
        par.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _spacing(par, after=6, line=1.15)
    if indent and not center:
        par.paragraph_format.first_line_indent = Cm(1.27)
    for run in line.runs:
        _font(par.add_run(run.text), size, run.bold or bold or line.heading, run.italic)
    return par


def _no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def _widths(table: Any, widths: tuple[float, float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def _page_number_header(doc: Any) -> None:
    """Page numbers at the top centre from page 2 on, as Nghị định 30/2020 prescribes."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    par = section.header.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field_el = OxmlElement("w:fldSimple")
    field_el.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field_el.append(run)
    par._p.append(field_el)


def build_docx(seed: Seed, issuer: str | None, out: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    _page_number_header(doc)

    header = doc.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(header)
    _widths(header, (6.6, 9.4))
    left, right = header.cell(0, 0), header.cell(0, 1)
    names = issuer_lines(issuer) if issuer else []
    for k, name in enumerate(names):
        add_text(left, name, 12, bold=k == len(names) - 1, first=k == 0)
    add_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, first=True)
    add_text(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    number_cell, date_cell = header.cell(1, 0), header.cell(1, 1)
    for k, line in enumerate(seed.number):
        size = 13 if line.text.startswith("Số") else 12
        add_text(number_cell, line.text.strip(), size, first=k == 0)
    if seed.date is not None:
        add_text(date_cell, seed.date.text.strip(), 14, italic=True, first=True)

    for k, line in enumerate(seed.title):
        par = add_text(doc, line.text.strip(), 14, bold=True)
        _spacing(par, before=12 if k == 0 else 0, after=6 if k == len(seed.title) - 1 else 0)

    for body_line in seed.body:
        if body_line is not None:
            add_line(doc, body_line, 14)

    if seed.recipients or seed.signature:
        sign = doc.add_table(rows=1, cols=2)
        _no_borders(sign)
        _widths(sign, (8.0, 8.0))
        left, right = sign.cell(0, 0), sign.cell(0, 1)
        for k, line in enumerate(seed.recipients):
            head = k == 0
            add_text(left, line.text.strip(), 12 if head else 11, bold=head, italic=head,
                     center=False, first=head)
        names_start = max(len(seed.signature) - 1, 0)
        for k, line in enumerate(seed.signature):
            if k == names_start and k > 0:
                for _ in range(3):
                    add_text(right, "", 14)
            add_text(right, line.text.strip(), 14, bold=True, first=k == 0)
    doc.save(str(out))


def convert_to_pdf(docx_files: list[Path], out_dir: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not installed: apt-get install -y "
                         "--no-install-recommends libreoffice-writer-nogui")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, docx_files)],
            check=True, timeout=600, capture_output=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SHARED / "seeds")
    parser.add_argument("--gold", type=Path, default=SHARED / "gold")
    parser.add_argument("--out", type=Path, default=ROOT / "corpus")
    parser.add_argument("--no-pdf", action="store_true", help="build the DOCX files only")
    args = parser.parse_args()
    docx_dir = args.out / "docx"
    docx_dir.mkdir(parents=True, exist_ok=True)
    built: list[Path] = []
    for seed_path in sorted(args.seeds.glob("*.txt")):
        gold_path = args.gold / f"{seed_path.stem}.json"
        issuer = None
        if gold_path.exists():
            issuer = json.loads(gold_path.read_text(encoding="utf-8"))["metadata"].get("issuer")
        out = docx_dir / f"{seed_path.stem}.docx"
        build_docx(split_seed(seed_path.read_text(encoding="utf-8")), issuer, out)
        built.append(out)
        print(f"wrote {out.relative_to(args.out.parent)}")
    if not args.no_pdf:
        convert_to_pdf(built, args.out / "pdf")
        for path in built:
            print(f"wrote {(args.out / 'pdf' / path.with_suffix('.pdf').name)}")


if __name__ == "__main__":
    main()

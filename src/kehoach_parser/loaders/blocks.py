"""Khối văn bản (blocks): paragraphs and tables read from a file, written as light markdown.

DOCX and DOC loaders read a document into :class:`Para` and :class:`Table` blocks in
document order; :func:`render` writes them in the form the normalizer reads: one paragraph
per line, ``**bold**`` around bold runs, nothing else. Layout tables (the header block and
the signature block) are written column by column, data tables row by row with cells
joined by `` | ``.

>>> issuer, motto = Para.plain("ỦY BAN NHÂN DÂN"), Para.plain("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
>>> number, date = Para.plain("Số: 12/KH-UBND"), Para.plain("Lào Cai, ngày 27 tháng 5 năm 2026")
>>> header = Table([[[issuer], [motto]], [[number], [date]]])
>>> print(render([header, Para([("1. Sở Y tế:", True), (" Tổ chức", False)])]))
ỦY BAN NHÂN DÂN
<BLANKLINE>
Số: 12/KH-UBND
<BLANKLINE>
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
<BLANKLINE>
Lào Cai, ngày 27 tháng 5 năm 2026
<BLANKLINE>
**1. Sở Y tế:** Tổ chức
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .. import patterns
from ..layout.cues import block_cue, cues, fold
from ..normalize import normalize_chars

_SPACES_RE = patterns.compile(r"[ \t\u00a0]+")
_HEADING_MARK_RE = patterns.compile(r"^(#+)(?=\s)")


@dataclass
class Para:
    """Một đoạn (a paragraph): runs of (text, bold); ``\\n`` in a run is a line break."""

    runs: list[tuple[str, bool]] = field(default_factory=list)

    @classmethod
    def plain(cls, text: str, bold: bool = False) -> Para:
        return cls([(text, bold)])

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


@dataclass
class Table:
    """Một bảng (a table): rows of cells, each cell a list of paragraphs."""

    rows: list[list[list[Para]]]


Block = Para | Table


def is_layout_line(line: str) -> bool:
    """A line typical of the header or signature block (Số:, Nơi nhận, TM. …): one of the
    layout stage's block cues (data/layout.toml)."""
    return block_cue(fold(normalize_chars(line)[0].strip())) is not None


def _lines(para: Para) -> Iterator[list[tuple[str, bool]]]:
    """The paragraph's runs split at line breaks."""
    line: list[tuple[str, bool]] = []
    for text, bold in para.runs:
        if "\n" not in text:  # most runs: no split
            if text:
                line.append((text, bold))
            continue
        for k, part in enumerate(text.split("\n")):
            if k:
                yield line
                line = []
            if part:
                line.append((part, bold))
    yield line


def _collapsed(text: str) -> str:
    """Each stretch of spaces, tabs and no-break spaces as one space; a text without any
    but single spaces (most runs) is returned as it is, without a regex pass."""
    if "  " in text or "\t" in text or "\u00a0" in text:
        return str(_SPACES_RE.sub(" ", text))
    return text


def _markup(runs: list[tuple[str, bool]]) -> str:
    """One line with ``**`` around its bold runs; spaces stay outside the marks. Runs of
    one boldness are gathered as parts and joined once (a long line costs its length)."""
    groups: list[list[str]] = []
    bolds: list[bool] = []
    for text, bold in runs:
        text = _collapsed(text)
        # Spaces take the boldness of what they touch, so marks never wrap bare spaces.
        if groups and (bolds[-1] == bold or not text.strip()):
            groups[-1].append(text)
        else:
            groups.append([text])
            bolds.append(bold)
    out: list[str] = []
    for parts, bold in zip(groups, bolds, strict=True):
        text = parts[0] if len(parts) == 1 else "".join(parts)
        core = text.strip() if bold else ""
        if core:
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            out.append(f"{lead}**{core}**{trail}")
        else:
            out.append(text)
    line = "".join(out).strip()
    # A leading '#' would read as a markdown heading: keep it as text.
    if line.startswith("#"):
        return str(_HEADING_MARK_RE.sub(lambda m: "＃" * len(m.group(1)), line))
    return line


def para_lines(para: Para, *, bold: bool = True) -> list[str]:
    """The paragraph as markup lines (empty lines dropped); ``bold=False`` drops marks."""
    lines: list[str] = []
    for runs in _lines(para):
        text = _markup(runs) if bold else _collapsed("".join(t for t, _ in runs)).strip()
        # A decorative rule under the issuer or the motto ("-------"): not text.
        if text and not cues().rule.match(fold(text.replace("*", ""))):
            lines.append(text)
    return lines


def _cell_text(cell: list[Para]) -> str:
    return " ".join(line for para in cell for line in para_lines(para, bold=False))


def _columns(table: Table) -> list[int]:
    """Indexes of the columns that hold any text."""
    width = max((len(row) for row in table.rows), default=0)
    return [c for c in range(width)
            if any(c < len(row) and _cell_text(row[c]) for row in table.rows)]


def is_layout(table: Table) -> bool:
    """A header or signature table: at most two text columns and a layout line in a cell."""
    if len(_columns(table)) > 2:
        return False
    return any(is_layout_line(line)
               for row in table.rows for cell in row for para in cell
               for line in para_lines(para, bold=False))


def table_lines(table: Table) -> list[str]:
    """Lines for a table: column by column for layout, ``a | b`` rows for data."""
    columns = _columns(table)
    if len(columns) <= 1 or is_layout(table):
        return [line
                for c in columns for row in table.rows if c < len(row)
                for para in row[c] for line in para_lines(para)]
    lines: list[str] = []
    for row in table.rows:
        cells = [_cell_text(row[c]) if c < len(row) else "" for c in columns]
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def block_lines(blocks: Iterable[Block]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block, Table):
            yield from table_lines(block)
        else:
            yield from para_lines(block)


def render(blocks: Iterable[Block]) -> str:
    """The blocks as light markdown: one paragraph per line, blank lines between."""
    return "\n\n".join(block_lines(blocks))

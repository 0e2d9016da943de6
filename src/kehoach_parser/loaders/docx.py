"""Tệp DOCX (Word 2007+): paragraphs and tables in document order, with Word's numbering.

python-docx opens the package; the body is then walked as XML so that what Word draws
comes out as text: automatic numbering (``1.``, ``a)``) rebuilt from ``numbering.xml``,
bold from direct formatting and the style chain, runs in the legacy fonts (.VnTime,
VNI-Times) converted to Unicode. Footnotes are not body text: they are left out with a
warning. The zip is checked (declared sizes, compression ratio, of each member and in
all) before anything is read; the text is counted against ``max_chars`` and the clock
against ``max_seconds`` paragraph by paragraph while it is built (list labels can multiply
a small file's text many times over).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import (
    CorruptFileError,
    EncryptedFileError,
    FormatMismatchError,
    KehoachError,
    LimitExceededError,
)
from . import Budget, Loaded, LoadOptions, legacy, sha256
from .blocks import Block, Para, Table, render

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_FALSE = {"0", "false", "off", "none"}
_RPR, _B, _RFONTS, _RSTYLE = f"{_W}rPr", f"{_W}b", f"{_W}rFonts", f"{_W}rStyle"
_VAL, _ASCII, _HANSI = f"{_W}val", f"{_W}ascii", f"{_W}hAnsi"
_T, _TABS, _BREAKS = f"{_W}t", (f"{_W}tab", f"{_W}ptab"), (f"{_W}br", f"{_W}cr")
_TYPE, _CHAR, _SYM, _NO_BREAK_HYPHEN = f"{_W}type", f"{_W}char", f"{_W}sym", f"{_W}noBreakHyphen"
_P, _R, _TBL, _TR, _TC = f"{_W}p", f"{_W}r", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_SDT, _SDT_CONTENT, _TXBX = f"{_W}sdt", f"{_W}sdtContent", f"{_W}txbxContent"
_PPR, _PSTYLE, _NUMPR = f"{_W}pPr", f"{_W}pStyle", f"{_W}numPr"
_NUM_ID, _ILVL, _BASED_ON = f"{_W}numId", f"{_W}ilvl", f"{_W}basedOn"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_ROMAN_MAX = 3999  # beyond it Word itself writes the number in digits
_LEVELS = 9  # list levels w:ilvl 0-8
_DECIMAL_DIGITS = 10  # w:start and w:val are 32-bit integers
# Subtrees that are not body text: deleted text, the fallback copy of alternate content,
# text boxes (read on their own), field codes, footnote and comment references.
_SKIP = {f"{_W}del", f"{_MC}Fallback", f"{_W}txbxContent", f"{_W}instrText",
         f"{_W}footnoteReference", f"{_W}endnoteReference", f"{_W}commentReference",
         f"{_W}pPr", f"{_W}rPr", f"{_W}delText"}


def check_zip(data: bytes, path: Path, options: LoadOptions) -> zipfile.ZipFile:
    """Open the zip and refuse bombs: declared sizes and ratios checked before reading."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CorruptFileError(f"damaged or truncated zip (DOCX): {exc}", path=path) from exc
    total = sum(info.file_size for info in infos)
    if total > options.max_decompressed_bytes:
        raise LimitExceededError(
            f"{len(infos)} members unzip to {total} bytes, over the limit of "
            f"{options.max_decompressed_bytes} (LoadOptions.max_decompressed_bytes); a zip "
            "bomb?", path=path)
    packed = sum(info.compress_size for info in infos)
    for name, size, compressed in [*((i.filename, i.file_size, i.compress_size) for i in infos),
                                   (f"all {len(infos)} members", total, packed)]:
        ratio = size / max(compressed, 1)
        if size > options.zip_ratio_floor and ratio > options.max_zip_ratio:
            raise LimitExceededError(
                f"{name}: expands {ratio:.0f}x, over the limit of {options.max_zip_ratio:.0f}x "
                "(LoadOptions.max_zip_ratio); a zip bomb?", path=path)
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        kind = next((k for p, k in (("xl/", "an Excel workbook"), ("ppt/", "a PowerPoint deck"))
                     if any(n.startswith(p) for n in names)), "a zip archive")
        raise FormatMismatchError(f"{kind}, not a Word document (no word/document.xml)",
                                  path=path)
    if any(info.flag_bits & 0x1 for info in infos):
        raise EncryptedFileError("the zip's members are encrypted", path=path)
    return archive


def _on(el: Any, tag: str) -> bool | None:
    """The value of a toggle property (w:b …) in a properties element; None when unset."""
    if el is None:
        return None
    prop = _child(el, f"{_W}{tag}")
    if prop is None:
        return None
    return prop.get(f"{_W}val", "true").lower() not in _FALSE


def _font_of(rpr: Any) -> str | None:
    if rpr is None:
        return None
    fonts = _child(rpr, _RFONTS)
    if fonts is None:
        return None
    name = fonts.get(f"{_W}ascii") or fonts.get(f"{_W}hAnsi")
    return str(name) if name else None


@dataclass
class _Style:
    based_on: str | None
    bold: bool | None
    font: str | None
    num: tuple[str, int] | None


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = " "


@dataclass
class _Numbering:
    """Word's list definitions and the running counters of each list."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)  # numId → levels
    counters: dict[str, list[int]] = field(default_factory=dict)

    def label(self, num_id: str, ilvl: int) -> str:
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels or not 0 <= ilvl < _LEVELS:
            return ""
        counts = self.counters.setdefault(num_id, [0] * _LEVELS)
        level = levels[ilvl]
        counts[ilvl] = counts[ilvl] + 1 if counts[ilvl] else level.start
        for deeper in range(ilvl + 1, _LEVELS):
            counts[deeper] = 0
        if level.fmt == "bullet":
            return "+ " if level.text.strip() == "+" else "- "
        if level.fmt == "none":
            return ""
        text = level.text
        for k in range(ilvl + 1):
            shown = counts[k] or (levels[k].start if k in levels else 1)
            fmt = levels[k].fmt if k in levels else "decimal"
            text = text.replace(f"%{k + 1}", _format(shown, fmt))
        return text + level.suffix if text else ""


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letters = ""
        while value > 0:
            value, rest = divmod(value - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman") and 0 < value <= _ROMAN_MAX:
        roman = ""
        for amount, digits in _ROMAN:
            times, value = divmod(value, amount)
            roman += digits * times
        return roman.upper() if fmt == "upperRoman" else roman
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def _read_numbering(document: Any) -> _Numbering:
    numbering = _Numbering()
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError, AttributeError):
        return numbering
    abstract: dict[str, dict[int, _Level]] = {}
    for node in root.iterfind(f"{_W}abstractNum"):
        abstract[node.get(f"{_W}abstractNumId")] = {
            _decimal(lvl.get(f"{_W}ilvl"), 0): _level(lvl) for lvl in node.iterfind(f"{_W}lvl")}
    for num in root.iterfind(f"{_W}num"):
        ref = num.find(f"{_W}abstractNumId")
        if ref is None:
            continue
        levels = dict(abstract.get(ref.get(f"{_W}val"), {}))
        for override in num.iterfind(f"{_W}lvlOverride"):
            ilvl = _decimal(override.get(f"{_W}ilvl"), 0)
            lvl = override.find(f"{_W}lvl")
            if lvl is not None:
                levels[ilvl] = _level(lvl)
            start = override.find(f"{_W}startOverride")
            if start is not None and ilvl in levels:
                old = levels[ilvl]
                levels[ilvl] = _Level(old.fmt, old.text, _decimal(start.get(f"{_W}val"), 1),
                                      old.suffix)
        numbering.levels[num.get(f"{_W}numId")] = levels
    return numbering


def _level(lvl: Any) -> _Level:
    firsts: dict[str, Any] = {}
    for child in lvl:
        firsts.setdefault(child.tag, child)

    def val(tag: str, default: str) -> str:
        node = firsts.get(f"{_W}{tag}")
        return default if node is None else str(node.get(_VAL, default))

    suffix = {"tab": " ", "space": " ", "nothing": ""}.get(val("suff", "tab"), " ")
    return _Level(val("numFmt", "decimal"), val("lvlText", ""), _decimal(val("start", "1"), 1),
                  suffix)


def _decimal(value: str | None, default: int) -> int:
    """A w:val integer; ``default`` for what is not one (or too long to be one)."""
    digits = (value or "").strip()
    if digits.lstrip("-").isdigit() and len(digits) <= _DECIMAL_DIGITS:
        return int(digits)
    return default


def _read_styles(document: Any) -> tuple[dict[str, _Style], bool, str | None]:
    """Styles by id, and the document defaults (bold, font)."""
    root = document.styles.element
    styles: dict[str, _Style] = {}
    for node in root.iterfind(f"{_W}style"):
        based = rpr = numpr = None
        for child in node:  # the first of each, as find() would take
            tag = child.tag
            if tag == _BASED_ON:
                based = child if based is None else based
            elif tag == _RPR:
                rpr = child if rpr is None else rpr
            elif tag == _PPR and numpr is None:
                numpr = _child(child, _NUMPR)
        styles[node.get(f"{_W}styleId")] = _Style(
            None if based is None else based.get(f"{_W}val"),
            _on(rpr, "b"), _font_of(rpr), _num_pr(numpr))
    defaults = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
    return styles, bool(_on(defaults, "b")), _font_of(defaults)


def _child(el: Any, tag: str) -> Any:
    """The first child of ``el`` with ``tag``, or None: ``el.find(tag)`` without lxml's
    path machinery (written in Python, it costs more than looking at a few children)."""
    for child in el:
        if child.tag == tag:
            return child
    return None


def _num_pr(numpr: Any) -> tuple[str, int] | None:
    if numpr is None:
        return None
    num = _child(numpr, _NUM_ID)
    ilvl = _child(numpr, _ILVL)
    if num is None:
        return None
    return str(num.get(f"{_W}val")), _decimal(None if ilvl is None else ilvl.get(f"{_W}val"), 0)


class _Reader:
    """Walks the body XML into blocks."""

    def __init__(self, document: Any, budget: Budget) -> None:
        self.budget = budget
        self.styles, self.default_bold, self.default_font = _read_styles(document)
        self.numbering = _read_numbering(document)
        self.legacy_used: set[str] = set()
        self._cache: dict[tuple[str | None, str | None], tuple[bool, str | None]] = {}

    def _style_value(self, style_id: str | None, attr: str) -> Any:
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            value = getattr(self.styles[style_id], attr)
            if value is not None:
                return value
            style_id = self.styles[style_id].based_on
        return None

    def blocks(self, container: Any) -> Iterator[Block]:
        for child in container:
            tag = child.tag
            if tag == _P:
                yield from self.paragraph(child)
            elif tag == _TBL:
                yield self.table(child)
            elif tag == _SDT:
                content = _child(child, _SDT_CONTENT)
                if content is not None:
                    yield from self.blocks(content)

    def table(self, tbl: Any) -> Table:
        rows: list[list[list[Para]]] = []
        for tr in tbl.iterfind(_TR):
            cells: list[list[Para]] = []
            for tc in tr.iterfind(_TC):
                cell: list[Para] = []
                for block in self.blocks(tc):
                    if isinstance(block, Table):  # nested table: its rows as paragraphs
                        cell.extend(Para.plain(" | ".join(" ".join(p.text for p in c)
                                                         for c in row))
                                    for row in block.rows)
                    else:
                        cell.append(block)
                cells.append(cell)
            rows.append(cells)
        return Table(rows)

    def paragraph(self, p: Any) -> list[Para]:
        """The paragraph, then the paragraphs of the text boxes it holds."""
        ppr = _child(p, _PPR)
        style = None
        num = None
        if ppr is not None:
            pstyle = numpr = None
            for prop in ppr:  # the first of each, as find() would take
                tag = prop.tag
                if tag == _PSTYLE:
                    pstyle = prop if pstyle is None else pstyle
                elif tag == _NUMPR:
                    numpr = prop if numpr is None else numpr
            style = None if pstyle is None else pstyle.get(_VAL)
            num = _num_pr(numpr)
        num = num or self._style_value(style, "num")
        runs: list[tuple[str, bool]] = []
        self.runs(p, style, runs)
        para = Para(runs)
        found = [para]
        for box in p.iter(_TXBX):
            if not _in_fallback(box):
                for box_p in box.iterfind(_P):
                    box_runs: list[tuple[str, bool]] = []
                    self.runs(box_p, None, box_runs)
                    found.append(Para(box_runs))
        text = para.text
        chars = len(text)
        if num is not None and num[0] != "0" and text.strip():
            label = self.numbering.label(*num)
            if label:
                first_bold = next((b for t, b in runs if t.strip()), False)
                runs.insert(0, (label, first_bold))
                chars += len(label)
        if len(found) > 1:
            chars += sum(len(box.text) for box in found[1:])
        self.budget.spend(chars)
        return found

    def runs(self, node: Any, style: str | None, out: list[tuple[str, bool]]) -> None:
        """Append the runs under ``node`` to ``out`` (a list, not a generator: a document has
        a run or two per paragraph, and a generator's set-up would cost as much)."""
        for child in node:
            tag = child.tag
            if tag == _R:
                out.append(self.run(child, style))
            elif tag not in _SKIP and tag != _P:
                self.runs(child, style, out)

    def run(self, r: Any, style: str | None) -> tuple[str, bool]:
        # The run's children looked at once: its properties and its text together.
        rpr = None
        parts: list[str] = []
        for child in r:
            tag = child.tag
            if tag == _T:
                parts.append(child.text or "")
            elif tag == _RPR:
                if rpr is None:
                    rpr = child
            elif tag in _TABS:
                parts.append(" ")
            elif tag in _BREAKS:
                if child.get(_TYPE) not in ("page", "column"):
                    parts.append("\n")
            elif tag == _NO_BREAK_HYPHEN:
                parts.append("-")
            elif tag == _SYM:
                parts.append(_symbol(child.get(_CHAR, "")))
        text = "".join(parts)
        if not text:
            return "", False
        bold: bool | None = None
        font = rstyle = None
        for prop in () if rpr is None else rpr:
            tag = prop.tag
            if tag == _B:
                bold = prop.get(_VAL, "true").lower() not in _FALSE
            elif tag == _RFONTS:
                font = prop.get(_ASCII) or prop.get(_HANSI)
            elif tag == _RSTYLE:
                rstyle = prop.get(_VAL)
        inherited_bold, inherited_font = self._inherited(rstyle, style)
        font = font or inherited_font
        if legacy.font_encoding(font) is not None:  # the rare legacy font (cached)
            text, used = legacy.convert_run(text, font)
            if used:
                self.legacy_used.add(used)
        return text, inherited_bold if bold is None else bold

    def _inherited(self, rstyle: str | None, style: str | None) -> tuple[bool, str | None]:
        """Bold and font a run takes from its character style, its paragraph's style and
        the document defaults (cached: a document has few style pairs)."""
        key = (rstyle, style)
        if key not in self._cache:
            bold = self._style_value(rstyle, "bold")
            if bold is None:
                bold = self._style_value(style, "bold")
            font = (self._style_value(rstyle, "font") or self._style_value(style, "font")
                    or self.default_font)
            self._cache[key] = (self.default_bold if bold is None else bool(bold), font)
        return self._cache[key]


def _in_fallback(el: Any) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent.tag == f"{_MC}Fallback":
            return True
        parent = parent.getparent()
    return False


def _symbol(code: str) -> str:
    """A w:sym character; Symbol-font bullets (private use F0xx) become '-'."""
    try:
        value = int(code, 16)
    except ValueError:
        return ""
    return "-" if 0xF000 <= value <= 0xF0FF else chr(value)


def _footnote_count(archive: zipfile.ZipFile) -> int:
    count = 0
    for name in ("word/footnotes.xml", "word/endnotes.xml"):
        if name in archive.namelist():
            xml = archive.read(name)
            count += xml.count(b"<w:footnote ") + xml.count(b"<w:endnote ")
            count -= xml.count(b'w:type="separator"') + xml.count(b'w:type="continuationSeparator"')
            count -= xml.count(b'w:type="continuationNotice"')
    return max(count, 0)


def load_docx(data: bytes, *, path: Path, options: LoadOptions) -> Loaded:
    """Đọc DOCX (read a DOCX file) into light markdown."""
    import docx as python_docx

    archive = check_zip(data, path, options)
    try:
        document = python_docx.Document(io.BytesIO(data))
        reader = _Reader(document, Budget(options, path))
        raw = render(reader.blocks(document.element.body))
    except KehoachError:
        raise
    except MemoryError as exc:  # under a memory limit (ulimit, a batch worker's)
        raise LimitExceededError("ran out of memory while reading it", path=path) from exc
    except Exception as exc:  # python-docx and lxml fail in many ways on damaged parts
        raise CorruptFileError(f"damaged DOCX: {type(exc).__name__}: {exc}", path=path) \
            from exc
    warnings = [f"runs in the legacy {legacy.name_of(enc)} encoding converted to Unicode"
                for enc in sorted(reader.legacy_used)]
    notes = _footnote_count(archive)
    if notes:
        warnings.append(f"{notes} footnote(s) or endnote(s) left out of the text")
    if legacy.lacks_diacritics(raw):
        warnings.append("text has almost no Vietnamese diacritics; names and titles may be "
                        "inexact")
    return Loaded(raw=raw, format="docx", sha256=sha256(data), warnings=warnings)

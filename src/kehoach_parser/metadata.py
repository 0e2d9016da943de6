"""Thể thức văn bản (metadata): type, number, issuer, place, date, title, locality, signer.

Read from the zones of the layout stage: the header block (issuer lines, number line,
place-and-date line, a công văn's subject line), the type line and title, the first closing
block (signature, Nơi nhận). When a document has no header block (a plan converted from a
PDF that lost it), the issuer is read from the body ("UBND tỉnh Lai Châu ban hành …") or
the signature ("TM. ỦY BAN NHÂN DÂN") and the place-date line, and a warning says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from . import patterns
from .agency_registry import name_key, resolve
from .data import load
from .dates import find_dates
from .layout import Layout, Line, fold
from .layout.cues import cues
from .localities import (
    expand,
    locality_of,
    parent_of,
    province,
    restore,
    sentence_case,
    split_level,
    vocabulary,
)
from .models import DateParts, Metadata, Section
from .signature import read_recipients, read_signer

_SPACES_RE = patterns.compile(r"\s+")
_SLASHES_RE = patterns.compile(r"/{2,}")
_YEAR_FIRST_RE = patterns.compile(r"((?:19|20)\d{2})/(.+)$")  # "2025/QĐ-UBND"
_SYMBOL_PARTS_RE = patterns.compile(r"([-/])")
_SYMBOL_HEAD_RE = patterns.compile(r"[-/]")
_WORD_AFTER_SPACE_RE = patterns.compile(r"(?<=\s)\S")
# A title that cites a document ("… Kế hoạch số 12/KH-UBND"): the year is that document's.
# (Only whether there is one: a run of digits is tried from its first digit, linear.)
_CITES_RE = patterns.compile(r"\bsố\s+\d|(?<!\d)\d++/[\p{L}Đ]")


@dataclass(frozen=True)
class _Rules:
    number: Any
    issuer_in_body: Any
    plan_types: frozenset[str]
    type_codes: dict[str, str]  # folded code → code ("qd" → "QĐ")
    own_year: Any
    own_year_unmarked: Any  # for a title without diacritics, on its folded words
    issues_plan: Any
    proper_names: Any
    adopted_by: Any


@cache
def _rules() -> _Rules:
    d = load("metadata")
    codes: dict[str, str] = {}
    for t in load("doc_types")["types"]:
        for form in [t["code"], *t.get("aliases", [])]:
            codes[fold(form)] = t["code"]
    return _Rules(
        number=patterns.compile(d["number_line"]["pattern"]),
        issuer_in_body=patterns.compile(d["issuer_in_body"]["pattern"]),
        plan_types=frozenset(d["plan_types"]["codes"]),
        type_codes=codes,
        own_year=patterns.compile(d["plan_year"]["pattern"], regex.IGNORECASE),
        own_year_unmarked=patterns.compile(d["plan_year"]["unmarked"]),
        issues_plan=patterns.compile(d["plan_year"]["issues_plan"], regex.IGNORECASE),
        proper_names=patterns.compile(
            "(?:" + "|".join(map(regex.escape, d["proper_names"]["heads"])) + r")\s+"),
        adopted_by=patterns.compile(d["adopted_by"]["pattern"]),
    )


def _texts(layout: Layout, lines: Sequence[Line]) -> list[str]:
    return [layout.line_text(line) for line in lines]


def _first_zone(layout: Layout, kind: str) -> list[Line]:
    for zone in layout.zones:
        if zone.kind == kind:
            return layout.lines[zone.first : zone.last + 1]
    return []


# -- Number and symbol -----------------------------------------------------------------


def _symbol(raw: str) -> tuple[str, str | None]:
    """The symbol as it should be written, and the year it holds ("2025/QĐ-UBND" →
    ("QĐ-UBND", "2025")); "QD-UBND" in text without diacritics → "QĐ-UBND"."""
    raw = _SPACES_RE.sub("", raw)
    raw = _SLASHES_RE.sub("/", raw)
    year = None
    m = _YEAR_FIRST_RE.match(raw)
    if m:
        year, raw = m.group(1), m.group(2)
    parts = _SYMBOL_PARTS_RE.split(raw)
    head = _rules().type_codes.get(fold(parts[0]))
    if head:
        parts[0] = head
    return "".join(parts), year


def _number(lines: Sequence[str]) -> tuple[str | None, str | None, str | None, bool]:
    """(number, symbol, identifier, found a number line)."""
    for text in lines:
        m = _rules().number.search(text)
        if m is None:
            continue
        number = m.group("number")
        symbol, year = _symbol(m.group("symbol"))
        party = m.group("sep") == "-" and "/" in symbol
        if number is None:
            return None, symbol, None, True
        if party:
            return number, symbol, f"{number}-{symbol}", True
        ident = f"{number}/{year}/{symbol}" if year else f"{number}/{symbol}"
        return number, symbol, ident, True
    return None, None, None, False


# -- Place and date --------------------------------------------------------------------


def _place_date(lines: Sequence[str]) -> tuple[str | None, DateParts]:
    for i, text in enumerate(lines):
        folded = fold(text)
        m = cues().place_date.search(folded)
        if m is None:
            continue
        place = text[m.start("place") : m.end("place")].strip()
        tail = folded[m.end():] + " " + (fold(lines[i + 1]) if i + 1 < len(lines) else "")
        found = next(find_dates(tail), None)
        date = DateParts() if found is None else DateParts(
            year=found[1].year, month=found[1].month, day=found[1].day)
        known = province(place)
        if known and fold(place) == fold(known[0]):
            place = known[0]
        return restore(place), date
    return None, DateParts()


# -- Issuer ----------------------------------------------------------------------------


def _bodies_in(line: str) -> list[str]:
    """A header line in capitals that holds two bodies, joined from two printed lines: the
    superior with its place, then the issuer ("ỦY BAN NHÂN DÂN TỈNH LÀO CAI SỞ NÔNG NGHIỆP
    VÀ MÔI TRƯỜNG")."""
    if len(line) > 160 or line.upper() != line:
        return [line]
    head = cues().issuer_head
    for m in _WORD_AFTER_SPACE_RE.finditer(line):
        p = m.start()
        rest = line[p:].split()
        superior = split_level(line[:p].strip())
        # The issuer has a name of its own ("PHÒNG" alone ends "HẢI PHÒNG"), and the place
        # does not go on into it ("THÀNH PHỐ HẢI" + "PHÒNG …" is Hải Phòng).
        if (len(rest) > 1 and superior is not None and head.match(fold(line[p:]))
                and province(f"{superior[2]} {rest[0]}") is None):
            return [line[:p].strip(), line[p:]]
    return [line]


def _groups(lines: Sequence[str]) -> list[str]:
    """The issuer lines as bodies: a line that opens with a body word starts one ("UBND
    TỈNH LÀO CAI" / "SỞ CÔNG THƯƠNG": the superior, then the issuer); other lines go on
    with the one before ("ỦY BAN NHÂN DÂN" / "TỈNH LAI CHÂU")."""
    groups: list[list[str]] = []
    for text in (part for line in lines for part in _bodies_in(line)):
        if text.startswith("(") and text.rstrip().endswith(")"):
            continue  # a template's placeholder, "(TÊN CƠ QUAN CHỦ QUẢN)"
        if cues().issuer_head.match(fold(text)) or not groups:
            groups.append([text])
        else:
            groups[-1].append(text)
    return [" ".join(g) for g in groups]


def _registry_case(name: str) -> str:
    """Restore the capitals of a known body ("Sở công thương" → "Sở Công Thương")."""
    parts = split_level(name)
    body, tail = (parts[0], name[len(parts[0]):]) if parts else (name, "")
    entry = resolve(body)
    if entry is not None:
        for known in (entry.base, entry.canonical):
            if name_key(known) == name_key(body):
                body = known
                break
    return f"{body} {tail.strip()}".strip()


def _clean(name: str) -> str:
    """An issuer line group as a name: abbreviations written out, capitals undone, known
    words in their one form, a school's or a company's own name in title case."""
    caps = name.upper() == name
    text = expand(name)
    if caps:
        text = sentence_case(text)
    text = _registry_case(restore(text, always=True))
    head = _rules().proper_names.match(text)
    if caps and head:
        rest = text[head.end():]
        for full in patterns.longest_first(vocabulary().expansion_names):
            if rest.lower().startswith(full.lower() + " "):
                head_len = head.end() + len(full) + 1
                text = text[:head_len] + text[head_len:].title()
                break
        else:
            text = text[: head.end()] + rest.title()
    return text


def _ends_in_level(name: str) -> bool:
    """A name that ends with a level word and no place ("Đảng ủy Ủy ban nhân dân tỉnh")."""
    last = fold(name).split()[-2:]
    words = vocabulary().levels
    return split_level(name) is None and bool(last) and (
        last[-1] in words or " ".join(last) in words)


def _header_issuer(lines: Sequence[str]) -> tuple[str | None, str | None]:
    """(issuer, superior) from the header's issuer lines: the last body named; a body of a
    locality (a Sở, a Ban, a Party committee) takes its superior's locality."""
    groups = [_clean(g) for g in _groups(lines) if g.strip(" *")]
    if not groups:
        return None, None
    issuer = groups[-1]
    superior = groups[-2] if len(groups) > 1 else None
    sup = split_level(superior) if superior else None
    if sup and split_level(issuer) is None:
        if _ends_in_level(issuer):
            issuer = f"{issuer} {sup[2]}"
        elif resolve(issuer) is not None:
            issuer = f"{issuer} {sup[1]} {sup[2]}"  # "Sở Tư pháp" of "UBND tỉnh Bình Thuận"
    return issuer, superior


def _body_issuer(layout: Layout, place: str | None) -> str | None:
    for line in layout.lines:
        if line.zone not in ("body", "closing", "title"):
            continue
        match = _rules().issuer_in_body.search(layout.line_text(line))
        if match:
            name = match.group("name") or place
            level = match.group("level")
            return f"Ủy ban nhân dân {level} {name}" if name else f"Ủy ban nhân dân {level}"
    return None


def _signed_issuer(on_behalf_of: str | None, place: str | None) -> str | None:
    """'Ủy ban nhân dân' of "TM. Ủy ban nhân dân" + the place-date line's province."""
    if not on_behalf_of or not place:
        return None
    known = province(place)
    if known:
        body = on_behalf_of.split(". ", 1)[-1]
        return f"{body} {'thành phố' if known[1] else 'tỉnh'} {known[0]}"
    return None


# -- Title, type and plan year ---------------------------------------------------------


def _strip_subject(text: str) -> str:
    m = cues().subject.match(fold(text))
    return text[m.end():].strip() if m else text.strip()


def _title(layout: Layout, header: Sequence[Line]) -> str | None:
    zone = _first_zone(layout, "title")
    parts: list[str] = []
    for line in zone:
        text = layout.line_text(line)
        if line.role == "type":  # "BIÊN BẢN THẨM ĐỊNH HỒ SƠ": the type, then its subject
            m = cues().type_re.match(fold(text))
            rest = text[m.end():].strip(" :") if m else ""
            if rest:
                parts.append(rest)
        elif line.role == "title":
            parts.append(text)
    if not parts:
        parts = [layout.line_text(line) for line in header if line.role == "subject"]
    title = " ".join(parts)
    adopted = _rules().adopted_by.match(title)  # "CỦA BAN THƯỜNG VỤ TỈNH ỦY" goes with the type
    return _strip_subject(title[adopted.end():] if adopted else title) or None


def _doc_type(layout: Layout, symbol: str | None, subject: bool) -> str | None:
    for line in _first_zone(layout, "title"):
        if line.role == "type":
            m = cues().type_re.match(fold(layout.line_text(line)))
            if m:
                return str(cues().types[" ".join(m.group("name").split())])
    if subject:  # a "V/v" line under the number is the công văn's own mark (NĐ 30/2020)
        return "CV"  # even when its issuer's initials read as a type ("5348/CT-CS", Cục Thuế)
    if symbol:
        head = _SYMBOL_HEAD_RE.split(symbol)[0]
        code = _rules().type_codes.get(fold(head))
        if code:
            return code
        if "-" in symbol:
            return "CV"
    return None


def _plan_year(doc_type: str | None, title: str | None, year: int | None) -> int | None:
    """The (first) year a plan is for: the title's own year or period; for a plan without
    one, the year of its date, unless the title names only a cited document's dates."""
    rules = _rules()
    own = rules.own_year.search(title or "")
    if own is None and title and fold(title) == title.lower():
        own = rules.own_year_unmarked.search(fold(title))
    if doc_type in rules.plan_types:
        if own:
            return int(own.group("year"))
        if title and _CITES_RE.search(title):
            return None  # a plan implementing a cited document names no period of its own
        return year
    if own and doc_type == "NQ":
        return int(own.group("year"))
    if own and title and doc_type == "QĐ" and rules.issues_plan.search(title):
        return int(own.group("year"))
    return None


def _dated_lines(layout: Layout) -> list[str]:
    """Short lines that are only a place and a date, before or in the first closing."""
    out: list[str] = []
    for line in layout.lines:
        if line.zone == "closing" and out:
            break
        text = layout.line_text(line)
        if len(text) < 70 and cues().place_date.match(fold(text)):
            out.append(text)
    return out[-1:]


def _addressees(layout: Layout) -> list[str]:
    """The "Kính gửi:" line of a công văn and the list under it."""
    out: list[str] = []
    for i, line in enumerate(layout.lines):
        if line.zone not in ("header", "title", "body"):
            continue
        text = layout.line_text(line)
        # the opening is enough, and its first letter first: an ASCII one folds to itself
        first = text[:1]
        if first and (first in "kK" or not first.isascii()) and fold(
                text[:20]).startswith("kinh gui"):
            out.append(text)
            for item in layout.lines[i + 1 :]:
                if item.kind != "bullet":
                    break
                out.append(layout.line_text(item))
            break
    return out


# -- The verb --------------------------------------------------------------------------


def read_metadata(layout: Layout, sections: Sequence[Section]) -> tuple[Metadata, list[str]]:
    """Đọc thể thức (read the metadata) of a document; returns it and warnings."""
    warnings: list[str] = []
    header = _first_zone(layout, "header")
    if not header:
        head = [line for line in layout.lines[:12] if line.zone in ("title", "body")]
    else:
        head = header
    head_texts = _texts(layout, head)
    number, symbol, identifier, numbered = _number(
        [layout.line_text(line) for line in head if line.role in ("number", "")]
        or head_texts)
    if numbered and number is None:
        warnings.append("the document number is blank (a draft?)")
    elif not numbered and any(line.role == "number" for line in head):
        warnings.append("the number line could not be read (OCR?): number and symbol left blank")
    place, date = _place_date([layout.line_text(line) for line in head
                               if line.role in ("place_date", "motto", "")] or head_texts)
    if place is None:  # a permit or a decision may print its date above the signature
        place, date = _place_date(_dated_lines(layout))
    subject = any(line.role == "subject" for line in header)
    doc_type = _doc_type(layout, symbol, subject)
    coded = _rules().type_codes.get(fold(_SYMBOL_HEAD_RE.split(symbol)[0])) if symbol else None
    if doc_type == "CV" and coded not in (None, "CV"):
        warnings.append(f"the symbol {symbol} reads as a {coded} but the V/v line marks a "
                        "công văn: doc_type CV")
    issuer, superior = _header_issuer([layout.line_text(line) for line in header
                                       if line.role == "issuer"])
    closing = _first_zone(layout, "closing")
    signer = read_signer([layout.line_text(line) for line in closing
                          if line.role == "signature"])
    if issuer is None:
        issuer = _body_issuer(layout, place) or _signed_issuer(signer.on_behalf_of, place)
        if issuer:
            warnings.append("no issuer in a header block; issuer inferred from the body")
    elif header and not any(line.role == "motto" for line in header):
        warnings.append("no national motto in the header block: the issuer may be misread")
    locality = locality_of(issuer, place, superior)
    if issuer and locality.name and _ends_in_level(issuer):
        issuer = f"{issuer} {locality.name}"
    locality = locality.model_copy(update={"parent": parent_of(layout.text, locality)})
    title = _title(layout, header)
    recipients = read_recipients(_addressees(layout) + [
        layout.line_text(line) for line in closing if line.role == "recipients"])
    if date.year is None:
        warnings.append("no date of issue found")
    if closing and signer.name is None and signer.position is not None:
        warnings.append("no signer's name in the signature block (an unsigned draft?)")
    metadata = Metadata(
        doc_type=doc_type,
        number=number,
        symbol=symbol,
        identifier=identifier,
        issuer=issuer,
        place=place,
        date=date,
        title=title,
        plan_year=_plan_year(doc_type, title, date.year),
        locality=locality,
        signer=signer,
        recipients=recipients,
    )
    return metadata, warnings

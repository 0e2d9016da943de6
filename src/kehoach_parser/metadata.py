"""Thể thức văn bản (metadata): type, number, issuer, place, date, title, locality, signer.

The header block gives most facts. Plans converted from PDF often lose it: then the issuer
is read from the body ("UBND tỉnh Lai Châu ban hành …") and the signature ("TM. ỦY BAN NHÂN
DÂN"), the locality from the place-date line, and a warning says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import regex

from .data import load
from .dates import find_dates
from .models import DateParts, Level, Locality, Metadata, Section, Signer
from .normalize import Normalized

_HEADER_LINES = 40
_TITLE_LINES = 8


@dataclass(frozen=True)
class _Rules:
    number: Any
    place: Any
    subject: Any
    body_start: Any
    header_skip: Any
    motto: Any
    central: Any
    issuer_body: Any
    issuer_in_body: Any
    authority: Any
    name: Any
    position: Any
    skip: Any
    recipients: Any
    types: dict[str, str]
    type_names: tuple[str, ...]  # longest first, so "THÔNG TƯ LIÊN TỊCH" wins over "THÔNG TƯ"
    plan_types: frozenset[str]
    levels: dict[str, str]
    level_re: Any
    expansions: tuple[tuple[Any, str], ...]
    provinces: dict[str, tuple[str, bool]]  # any written form → (name, central city)
    province_re: Any


@cache
def _rules() -> _Rules:
    d = load("metadata")
    provinces: dict[str, tuple[str, bool]] = {}
    for p in load("provinces")["provinces"]:
        for form in [p["name"], *p["variants"]]:
            provinces[form.casefold()] = (p["name"], bool(p["central_city"]))
    levels = {k: v for k, v in d["levels"].items()}
    level_words = "|".join(sorted(levels, key=len, reverse=True))
    types = {t["name"].upper(): t["code"] for t in [*load("doc_types")["types"], *d["types"]]}
    names = "|".join(sorted((regex.escape(k) for k in provinces), key=len, reverse=True))
    return _Rules(
        number=regex.compile(d["number_line"]["pattern"]),
        place=regex.compile(d["place_date"]["pattern"]),
        subject=regex.compile(d["subject_line"]["pattern"]),
        body_start=regex.compile(d["body_start"]["pattern"]),
        header_skip=regex.compile(d["header_skip"]["pattern"], regex.IGNORECASE),
        issuer_body=regex.compile(d["issuer_body"]["pattern"]),
        motto=regex.compile(d["motto"]["pattern"], regex.IGNORECASE),
        central=regex.compile(d["central_issuer"]["pattern"]),
        issuer_in_body=regex.compile(d["issuer_in_body"]["pattern"]),
        authority=regex.compile(d["signature"]["authority"]),
        name=regex.compile(d["signature"]["name"]),
        position=regex.compile(d["signature"]["position"]),
        skip=regex.compile(d["signature"]["skip"], regex.IGNORECASE),
        recipients=regex.compile(d["recipients"]["heading"]),
        types=types,
        type_names=tuple(sorted(types, key=len, reverse=True)),
        plan_types=frozenset(d["plan_types"]["codes"]),
        levels=levels,
        level_re=regex.compile(rf"\b(?P<word>{level_words})\s+(?P<name>\p{{Lu}}.*)$",
                               regex.IGNORECASE),
        expansions=tuple(
            (regex.compile(rf"(?<!\p{{L}}){regex.escape(k)}(?!\p{{L}})"), v)
            for k, v in d["expansions"].items()
        ),
        provinces=provinces,
        province_re=regex.compile(rf"\b(?:tỉnh|thành phố|TP\.?)\s+(?P<name>{names})\b",
                                  regex.IGNORECASE),
    )


def sentence_case(text: str) -> str:
    """Viết hoa chữ đầu (sentence case) for lines printed in capitals.

    >>> sentence_case("PHÓ CHỦ TỊCH")
    'Phó Chủ tịch'
    >>> sentence_case("ỦY BAN NHÂN DÂN TỈNH LAI CHÂU")
    'Ủy ban nhân dân tỉnh Lai Châu'
    """
    lowered = text.strip().lower()
    words = lowered.split()
    if not words:
        return ""
    if words[0] == "phó" and len(words) > 1:  # "Phó Chủ tịch", "Phó Giám đốc"
        words[1] = words[1].capitalize()
    words[0] = words[0].capitalize()
    out = " ".join(words)
    match = _rules().level_re.search(out)
    if match:  # a place name after its level word: title case
        out = out[: match.start("name")] + match.group("name").title()
    return out


def _expand(name: str) -> str:
    for pattern, full in _rules().expansions:
        name = pattern.sub(full, name)
    return " ".join(name.split())


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _lines(norm: Normalized, start: int = 0, end: int | None = None) -> list[tuple[int, str]]:
    stop = len(norm.text) if end is None else end
    return [(c.start, norm.text[c.start : c.end]) for c in norm.cues if start <= c.start < stop]


def _locality_of(issuer: str | None, place: str | None) -> Locality:
    rules = _rules()
    name: str | None = None
    level: Level | None = None
    if issuer:
        match = rules.level_re.search(issuer)
        if match:
            word = match.group("word").lower()
            name = match.group("name").strip()
            raw_level = rules.levels[word]
            known = rules.provinces.get(name.casefold())
            if word == "thành phố" and known and known[1]:
                raw_level = "province"
            level = raw_level  # type: ignore[assignment]
            name = known[0] if known else name
        elif rules.central.match(issuer):
            return Locality(name=None, level="central", parent=None)
    if name is None and place:
        known = rules.provinces.get(place.casefold())
        name = known[0] if known else place
        level = "province" if known else level
    return Locality(name=name, level=level, parent=None)


def _parent(text: str, locality: Locality) -> str | None:
    """The province a district or commune belongs to: the one the document names most."""
    if locality.level not in ("district", "commune"):
        return None
    rules = _rules()
    own = (locality.name or "").casefold()
    counts = Counter(
        rules.provinces[m.group("name").casefold()][0]
        for m in rules.province_re.finditer(text)
        if m.group("name").casefold() != own
    )
    return counts.most_common(1)[0][0] if counts else None


def _header_issuer(header: list[tuple[int, str]]) -> str | None:
    """The issuing body: capital lines of the header's left column. A line that opens with a
    body word starts a body ("UBND TỈNH LÀO CAI" / "SỞ CÔNG THƯƠNG": the superior, then the
    issuer); other lines continue it ("ỦY BAN NHÂN DÂN" / "TỈNH LAI CHÂU")."""
    rules = _rules()
    groups: list[list[str]] = []
    for _, line in header:
        if _type_line(line) or rules.motto.match(line):
            break  # the names end at the right column (the motto) or at the type name
        if (not _is_upper(line) or rules.header_skip.match(line) or line.startswith("(")
                or rules.number.search(line)):
            continue
        if rules.issuer_body.match(line) or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    if not groups:
        return None
    body = " ".join(groups[-1])
    if len(groups) > 1 and not rules.level_re.search(body):
        # The issuer belongs to its superior's locality.
        superior = rules.level_re.search(" ".join(groups[-2]))
        if superior:
            body = f"{body} {superior.group(0)}"
    return _registry_case(_expand(sentence_case(body)))


def _registry_case(name: str) -> str:
    """Restore the capitals of a known body ("Sở công thương" → "Sở Công Thương")."""
    from .agency_registry import name_key, resolve

    match = _rules().level_re.search(name)
    body, tail = (name[: match.start()].strip(), name[match.start():]) if match else (name, "")
    entry = resolve(body)
    if entry is not None:
        for known in (entry.base, entry.canonical):
            if name_key(known) == name_key(body):
                body = known
                break
    return f"{body} {tail}".strip()


def _body_issuer(lines: list[tuple[int, str]], place: str | None) -> str | None:
    rules = _rules()
    for _, line in lines:
        match = rules.issuer_in_body.search(line)
        if match:
            name = match.group("name") or place
            level = match.group("level")
            return f"Ủy ban nhân dân {level} {name}" if name else f"Ủy ban nhân dân {level}"
    return None


def _type_line(line: str) -> tuple[str, str] | None:
    """(code, rest) of a type-name line in capitals: "KẾ HOẠCH" → ("KH", ""), "BIÊN BẢN
    THẨM ĐỊNH HỒ SƠ" → ("BB", "THẨM ĐỊNH HỒ SƠ"); None for any other line."""
    if not _is_upper(line):
        return None
    upper = line.upper().rstrip(" :")
    for name in _rules().type_names:
        if upper == name or upper.startswith(name + " "):
            return _rules().types[name], line[len(name):].strip()
    return None


def _title(lines: list[tuple[int, str]], type_index: int | None, norm: Normalized) -> str | None:
    rules = _rules()
    for _, line in lines:
        subject = rules.subject.match(line)
        if subject:
            title: str = subject.group("title").strip()
            return title
    if type_index is None:
        return None
    typed = _type_line(lines[type_index][1])
    parts: list[str] = [typed[1]] if typed and typed[1] else []
    first_bold: bool | None = None
    for offset, line in lines[type_index + 1 : type_index + 1 + _TITLE_LINES]:
        cue = norm.cue_at(offset)
        bold = bool(cue and cue.bold)
        if parts:
            if rules.body_start.match(line) or (first_bold and not bold):
                break
            if not first_bold and (len(line) > 250 or parts[-1].endswith((".", ";", ":"))):
                break
        elif rules.header_skip.match(line):
            continue
        if first_bold is None:
            first_bold = bold
        parts.append(line)
        if not first_bold and len(parts) == 1 and len(line) > 120:
            break
    return " ".join(parts).strip() or None


def _signer(lines: list[tuple[int, str]]) -> Signer:
    rules = _rules()
    on_behalf_of = capacity = position = name = None
    for _, line in lines:
        if rules.skip.match(line):
            continue
        authority = rules.authority.match(line)
        if authority:
            text = f"{authority.group('prefix')}. {sentence_case(authority.group('rest'))}"
            if authority.group("prefix") == "TM":
                on_behalf_of = text
            else:
                capacity = text
            continue
        if rules.position.match(line) and (on_behalf_of or capacity):
            position = sentence_case(line)
            continue
        if (on_behalf_of or capacity or position) and rules.name.match(line):
            name = line.strip()
            break
    if position is None and capacity is None and on_behalf_of is None:
        return Signer()
    return Signer(name=name, position=position, capacity=capacity, on_behalf_of=on_behalf_of)


def _recipients(lines: list[tuple[int, str]]) -> list[str]:
    rules = _rules()
    out: list[str] = []
    collecting = False
    for _, line in lines:
        heading = rules.recipients.match(line)
        if heading:
            collecting = True
            inline = heading.group("inline").strip(" -;.")
            if inline:
                out.append(inline)
            continue
        if collecting:
            if line.startswith(("-", "+", "•")):
                item = line.lstrip("-+• ").rstrip(" ;.,")
                if item:
                    out.append(item)
            else:
                collecting = False
    return out


def _plan_year(title: str | None, year: int | None) -> int | None:
    if title:
        match = regex.search(r"(?:năm|giai đoạn)\s+((?:19|20)\d{2})", title)
        if match:
            return int(match.group(1))
    return year


def read_metadata(norm: Normalized, sections: Sequence[Section]) -> tuple[Metadata, list[str]]:
    """Đọc thể thức (read the metadata) of a normalized document; returns it and warnings."""
    rules = _rules()
    warnings: list[str] = []
    text = norm.text
    body_start = sections[0].span[0] if sections else len(text)
    body_end = max((s.span[1] for s in sections), default=0)
    header = _lines(norm, 0, body_start)[:_HEADER_LINES]

    number = symbol = place = None
    date = DateParts()
    number_index = None
    for i, (offset, line) in enumerate(header):
        match = rules.number.search(line)
        if match and number_index is None:
            number_index = i
            number = match.group("number")
            symbol = regex.sub(r"/{2,}", "/", regex.sub(r"\s+", "", match.group("symbol")))
        place_match = rules.place.search(line)
        if place_match and place is None:
            place = place_match.group("place").strip()
            found = next(find_dates(text, offset + place_match.end(), offset + len(line)), None)
            if found:
                d = found[1]
                date = DateParts(year=d.year, month=d.month, day=d.day)
    if number_index is not None and number is None:
        warnings.append("the document number is blank (a draft?)")

    type_index = next((i for i, (_, line) in enumerate(header) if _type_line(line)), None)
    typed = _type_line(header[type_index][1]) if type_index is not None else None
    doc_type = typed[0] if typed else None
    subject = any(rules.subject.match(line) for _, line in header)
    if doc_type is None and symbol:
        head = symbol.split("-")[0]
        doc_type = next((code for code in rules.types.values() if code.upper() == head.upper()),
                        None)
        if doc_type is None and (subject or "-" in symbol):
            doc_type = "CV"
    elif doc_type is None and subject:
        doc_type = "CV"

    issuer = _header_issuer(header[: number_index + 1] if number_index is not None else header)
    tail = _lines(norm, body_end)
    if issuer is None:
        issuer = _body_issuer(_lines(norm, 0, body_start) + tail, place)
        signed = _signer(tail)
        if issuer is None and signed.on_behalf_of:
            body = signed.on_behalf_of.split(". ", 1)[-1]
            issuer = _locality_name(body, place)
        if issuer:
            warnings.append("no issuer in a header block; issuer inferred from the body")
    locality = _locality_of(issuer, place)
    locality = locality.model_copy(update={"parent": _parent(text, locality)})
    title = _title(header, type_index, norm)
    metadata = Metadata(
        doc_type=doc_type,
        number=number,
        symbol=symbol,
        identifier=f"{number}/{symbol}" if number and symbol else None,
        issuer=issuer,
        place=place,
        date=date,
        title=title,
        plan_year=_plan_year(title, date.year) if doc_type in rules.plan_types else None,
        locality=locality,
        signer=_signer(tail),
        recipients=_recipients(header + tail),
    )
    if date.year is None:
        warnings.append("no date of issue found")
    return metadata, warnings


def _locality_name(body: str, place: str | None) -> str | None:
    """'Ủy ban nhân dân' + the place-date line's place, when that is a province."""
    if not place:
        return None
    known = _rules().provinces.get(place.casefold())
    if known:
        word = "thành phố" if known[1] else "tỉnh"
        return f"{body} {word} {known[0]}"
    return None

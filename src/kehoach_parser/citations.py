"""Văn bản được viện dẫn (cited documents): every document a plan cites, one entry each.

One pass of a cheap compiled pattern finds the anchors: an identifier (``1629/QĐ-TTg``,
``178/2004/NĐ-CP``, Party ``60-NQ/TW``), whose type word and "số" are then read backwards,
and a law or ordinance named without a number (``Luật Ngân sách nhà nước``). Around each
anchor, short anchored matches read the date (``ngày …``), the issuer (``của …``) and the
subject (``về …``). A second cheap pass finds short references (``Nghị định 178``) to the
numbers already cited in full.
Identifier codes are canonicalised against the registries in ``data/doc_types.toml`` and
``data/issuers.toml``; a mistyped issuer code (``29/QĐ-BLĐTĐ``) is mapped with rapidfuzz to
the nearest code of the issuer the sentence names, else to a clear nearest code of the
registry; an unknown code (a company's) stays as written. Mentions of one document (typo
variants, short references) become one entry; a document named before the first section
heading is the plan's ``basis``, any other a ``reference``.

>>> text = ("Thực hiện Quyết định số 1629/QĐ-TTg ngày 28/9/2021 của Thủ tướng Chính phủ "
...         "phê duyệt Chương trình phòng, chống mại dâm giai đoạn 2021-2025;")
>>> from kehoach_parser.context import context_of
>>> [c] = find_citations(context_of(text, metadata=Metadata())).items
>>> c.identifier, c.doc_type, c.year, c.date, c.issuer, c.relation
('1629/QĐ-TTg', 'QĐ', 2021, '2021-09-28', 'Thủ tướng Chính phủ', 'basis')
>>> c.title
'phê duyệt Chương trình phòng, chống mại dâm giai đoạn 2021-2025'
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Generic, TypeVar

import regex
from rapidfuzz import fuzz, process

from . import patterns
from .context import Context, Found
from .data import load
from .dates import VnDate, find_dates
from .layout.model import ZoneKind
from .models import Citation, Mention, Metadata, Section
from .normalize import fold_tones

# An identifier code: capitals and digits, with at most one lowercase letter (TTg, CTr, QyĐ).
_CODE = r"\p{Lu}[\p{Lu}\d&]*(?:[a-z][\p{Lu}\d]*)?"
# Nothing identifier-like may follow: "481/VC/2026/HT" is not "481/VC".
_END = r"(?![\p{L}\d]|[-/][\p{L}\d])"
_STATE = (
    rf"(?P<num>\d{{1,5}}(?:\.\d{{1,3}})?)\s?/\s?(?:(?P<year>(?:19|20)\d{{2}})\s?/\s?)?"
    rf"(?P<sym>{_CODE}(?:\s?[-/]\s?(?:{_CODE}|\d{{1,3}}(?!\d))|[ ]{_CODE})*){_END}"
)
_PARTY = (
    rf"(?P<pnum>\d{{1,4}})\s?-\s?(?P<ptype>{_CODE})\s?/\s?"
    rf"(?P<piss>{_CODE}(?:[-/]{_CODE})*){_END}"
)
_CONTEXT_FUZZ = 50  # a code mistyped within the issuer the sentence names (LĐTĐ ~ LĐTBXH)
_FAMILY_FUZZ = 65  # a code mistyped after its first letters, no issuer named (BLĐTĐ)
_GLOBAL_FUZZ = 85  # any other code mistyped with no issuer named (BNNPTNTT ~ BNNPTNT)
_TITLE_MAX = 300
_LIST_REACH = 300  # how far back a list head ("các Quyết định của …:") is looked for
# Bounded spacing: the text is normalized, and unbounded runs invite quadratic backtracking.
_SP, _OPT, _HSP = r"\s{1,3}", r"\s{0,3}", r"[ \t]{0,3}"
_T = TypeVar("_T")
_DANGLING = frozenset({"và", "hoặc", "các", ","})  # words a cut-off subject must not end on


@cache
def _re(pattern: str) -> regex.Pattern[str]:
    """A small helper pattern, compiled at first use."""
    return patterns.compile(pattern)


def _squeeze(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    """Accent-free, case-free, spacing-free key: ``"Bộ LĐ - TB&XH"`` → ``"bo ld-tb&xh"``."""
    key = _squeeze(_strip_marks(text).casefold())
    for mark in "-,&/":
        key = key.replace(f" {mark}", mark).replace(f"{mark} ", mark)
    return key


def _phrase(words: Iterable[str], ascii: bool = True) -> str:
    """A case-insensitive alternation of phrases, longest first; with ``ascii``, also without
    diacritics (never for stop words: "năm" without them is the "Nam" of "Việt Nam")."""
    forms: set[str] = set()
    for word in words:
        for form in {fold_tones(word), _strip_marks(word) if ascii else fold_tones(word)}:
            tight = "-".join(part.strip() for part in form.split("-"))  # "động - Thương"
            parts = [regex.escape(p).replace(",", f"{_OPT},").replace(r"\-", "-")
                     .replace("-", f"{_OPT}-{_OPT}") for p in tight.split()]
            forms.add(_SP.join(parts))
    return "(?i:" + "|".join(patterns.longest_first(forms)) + ")"


def _strip_marks(text: str) -> str:
    """``"Quyết định"`` → ``"Quyet dinh"``, as OCR or a no-diacritics keyboard writes it."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed
                                                if not unicodedata.combining(c)))


# --- registries -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Type:
    code: str
    default_issuer: str | None


@dataclass(frozen=True, slots=True)
class _Issuer:
    code: str
    name: str
    level: str
    complete: str | None
    default_type: str | None


class _Codes(Generic[_T]):
    """Code lookup: exact, then case-free (CTR → CTr), then accent-free when that is
    unambiguous (QD → QĐ; but HD stays Hướng dẫn, not Hợp đồng HĐ)."""

    def __init__(self, entries: dict[str, _T]) -> None:
        self.exact = dict(entries)
        self.case: dict[str, _T] = {}
        folded: dict[str, list[_T]] = {}
        for code, entry in entries.items():
            self.case.setdefault(code.casefold(), entry)
            folded.setdefault(_fold(code), []).append(entry)
        self.folded = {k: v[0] for k, v in folded.items() if len({id(e) for e in v}) == 1}

    def get(self, code: str) -> _T | None:
        for table, key in ((self.exact, code), (self.case, code.casefold()),
                           (self.folded, _fold(code))):
            if key in table:
                return table[key]
        return None


@dataclass
class _Registry:
    types: _Codes[_Type]
    issuers: _Codes[_Issuer]
    units: _Codes[str]
    words: dict[str, str]  # folded type word → type code
    names: dict[str, list[_Issuer]]  # folded issuer name → issuers of that name
    levels: dict[str, tuple[str, tuple[str, ...]]]  # folded level word → (word, levels)
    issuer_codes: dict[str, _Issuer] = field(default_factory=dict)  # folded code → issuer

    def named(self, name: str) -> list[_Issuer]:
        """The issuers whose name (or a variant of it) is ``name``: Bộ LĐTBXH has two codes."""
        return self.names.get(_fold(name), [])

    def resolve_issuer(self, code: str, near: Sequence[_Issuer] = ()) -> _Issuer | None:
        """The issuer of ``code``; a mistyped code goes to the nearest code of ``near``
        (the issuer the sentence names), else to a clear nearest in the registry."""
        base, digits = _split_term(code)
        exact = self.issuers.get(code) or self.issuers.get(base)
        if exact is not None:
            return exact
        key = _fold(base)
        if near:
            nearby = {_fold(i.code): i for i in near}
            best = process.extractOne(key, list(nearby), scorer=fuzz.ratio)
            if best is not None and best[1] >= _CONTEXT_FUZZ:
                return nearby[best[0]]
            return None
        if len(key) < 5 or digits:
            return None  # short codes are too close to each other (HCTN ~ CTN)
        # A typo keeps the code's head (BLĐTĐ ~ BLĐTBXH); elsewhere only a near-identical
        # code counts (an unknown company code must stay as written).
        for pool, least in (([c for c in self.issuer_codes if c[:2] == key[:2]], _FAMILY_FUZZ),
                            ([c for c in self.issuer_codes if len(c) >= 5], _GLOBAL_FUZZ)):
            top = process.extract(key, pool, scorer=fuzz.ratio, limit=2)
            if top and top[0][1] >= least and (len(top) < 2 or top[1][1] < top[0][1] - 5):
                return self.issuer_codes[top[0][0]]
        return None


def _split_term(code: str) -> tuple[str, str]:
    """``QH15`` → (``QH``, ``15``): a term or desk number after a code."""
    base = code.rstrip("0123456789")
    digits = code[len(base):]
    return (base, digits) if base and 1 <= len(digits) <= 2 else (code, "")


@cache
def _registry() -> _Registry:
    types_data, issuers_data = load("doc_types"), load("issuers")
    types: dict[str, _Type] = {}
    words: dict[str, str] = {}
    for entry in types_data["types"]:
        t = _Type(entry["code"], entry.get("default_issuer"))
        for code in (entry["code"], *entry.get("aliases", [])):
            types[code] = t
        for word in entry["words"]:
            words[_fold(word)] = entry["code"]
    issuers: dict[str, _Issuer] = {}
    names: dict[str, list[_Issuer]] = {}
    for entry in issuers_data["issuers"]:
        issuer = _Issuer(entry["code"], fold_tones(entry["name"]), entry["level"],
                         entry.get("complete"), entry.get("default_type"))
        for code in (entry["code"], *entry.get("aliases", [])):
            issuers[code] = issuer
        for name in (entry["name"], *entry.get("names", [])):
            names.setdefault(_fold(name), []).append(issuer)
    units = {code: entry["code"] for entry in issuers_data["units"]
             for code in (entry["code"], *entry.get("aliases", []))}
    levels = {_fold(form): (entry["word"], tuple(entry["levels"]))
              for entry in issuers_data["levels"] if not entry.get("party")
              for form in (entry["word"], *entry.get("forms", []))}
    return _Registry(_Codes(types), _Codes(issuers), _Codes(units), words, names, levels,
                     {_fold(i.code): i for i in issuers.values()})


# --- patterns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Patterns:
    core: regex.Pattern[str]
    ident: regex.Pattern[str]
    prefix: regex.Pattern[str]
    short_prefix: regex.Pattern[str]
    date_lead: regex.Pattern[str]
    issuer_lead: regex.Pattern[str]
    issuer: regex.Pattern[str]
    generic_issuer: regex.Pattern[str]
    title_cue: regex.Pattern[str]
    title_end: regex.Pattern[str]
    not_before: regex.Pattern[str]
    list_head: regex.Pattern[str]
    issuer_word: regex.Pattern[str]  # the word before an issuer, which every list head holds
    list_sep: regex.Pattern[str]
    name_stop: regex.Pattern[str]
    not_name: regex.Pattern[str]
    amending: regex.Pattern[str]
    abbreviations: tuple[tuple[regex.Pattern[str], str], ...]
    comma_idiom: regex.Pattern[str]
    then_number: regex.Pattern[str]
    opening_line: regex.Pattern[str]


@cache
def _patterns() -> _Patterns:
    types, issuers = load("doc_types"), load("issuers")
    cues, named = types["cues"], types["named"]
    all_words = [w for t in types["types"] for w in t["words"]]
    type_words = _phrase(all_words)
    number_word = _phrase(cues["number"]["words"])
    names = _phrase(n for e in issuers["issuers"] for n in (e["name"], *e.get("names", [])))
    positions = _phrase(issuers["positions"]["words"])
    levels = _phrase(f for e in issuers["levels"] if not e.get("party")
                     for f in (e["word"], *e.get("forms", [])))
    title_words = _phrase(cues["title"]["words"])
    title_strip = _phrase(cues["title"]["strip"])
    cue_stop = _phrase([*cues["title"]["words"], *cues["title"]["strip"]])
    word_start = r"(?<![\p{L}\d])"
    # Cheap anchors first (a number before a slash or a hyphen and a capital; a law's head);
    # the type word before an identifier is read backwards from it.
    # Only a capitalised head opens a name ("Luật Ngân sách", not "pháp luật về").
    # The head's first word is capitalised; the others may be too ("Bộ Luật Hình sự").
    heads = "|".join(regex.escape(w.split(" ", 1)[0]) + "".join(
        rf"{_SP}(?i:{regex.escape(rest)})" for rest in w.split(" ")[1:])
        for t in types["types"] if t.get("named") for w in t["words"])
    core = (r"(?P<digits>(?<![\p{L}\d/.:,-])\d{1,5}(?:\.\d{1,3})?\s?[/-]\s?"
            r"(?:(?:19|20)\d\d\s?/\s?)?\p{Lu})"
            rf"|(?P<named>(?<!\p{{L}})(?:{heads})){_SP}(?=\p{{L}})")
    prefix = (rf"(?r)(?:(?P<tw>{word_start}{type_words}){_OPT}(?:{number_word}{_OPT}:?{_OPT})?"
              rf"|(?P<so>{word_start}{number_word}{_OPT}:?{_OPT}))")
    place_word = rf"(?!{cue_stop}(?!\p{{L}}))(?:\p{{Lu}}[\p{{L}}]*|\d{{1,2}}(?![\d/]))"
    issuer = (
        rf"(?:(?P<pos>{positions}){_SP})?(?P<name>{names})(?!\p{{L}})"
        rf"(?:{_SP}(?P<lvl>{levels})(?!\p{{L}})(?P<place>(?:[ ]{place_word}){{1,4}})?"
        rf"|(?P<bare>(?:[ ]{place_word}){{1,4}}))?"
    )
    issuer_stop = _phrase(issuers["issuer_end"]["words"], ascii=False)
    generic = (
        rf"(?:(?P<pos>{positions}){_SP})?\p{{Lu}}[\p{{L}}&.]*"
        rf"(?:[ ](?!(?:{issuer_stop}|{cue_stop}|và(?![ ]\p{{Lu}}))(?!\p{{L}}))"
        rf"(?:[\p{{L}}&.]+|-|\d{{1,3}}(?![\d/]))){{0,9}}"
    )
    end_words = _phrase(cues["title_end"]["words"], ascii=False)
    idioms = [regex.escape(i).replace(r"\ ", _SP) for i in named["comma_idioms"]]
    name_stops = _phrase(named["stops"], ascii=False)
    and_stops = _phrase(named["and_stops"], ascii=False)
    return _Patterns(
        core=patterns.compile(core),
        ident=patterns.compile(rf"(?:{_PARTY}|{_STATE})"),
        prefix=patterns.compile(prefix),
        short_prefix=patterns.compile(
            rf"(?r){word_start}(?P<tw>{type_words}){_SP}(?:{number_word}{_SP})?"),
        date_lead=patterns.compile(
            rf"{_HSP},?{_HSP}\(?{_HSP}(?:(?P<ngay>{_phrase(cues['date']['words'])}){_OPT})?"),
        issuer_lead=patterns.compile(rf"{_OPT},?{_OPT}{_phrase(cues['issuer']['words'])}{_SP}"),
        issuer=patterns.compile(issuer),
        generic_issuer=patterns.compile(generic),
        title_cue=patterns.compile(
            rf"{_HSP}(?:(?P<strip>{title_strip}){_SP}(?:{title_strip}{_SP})?|(?={title_words}\s))"),
        title_end=patterns.compile(
            rf"\n|;|\||\.(?=\s|$)|:\s|\s\((?!\d)|,\s(?=\p{{Lu}})|\s{end_words}(?!\p{{L}})"),
        not_before=patterns.compile(
            rf"(?<!\p{{L}}){_phrase(cues['not_before']['words'])}{_OPT}(?:{number_word}{_OPT})?$"),
        list_head=patterns.compile(
            rf"(?<!\p{{L}})(?P<tw>{type_words}){_SP}{_phrase(cues['issuer']['words'])}{_SP}"),
        issuer_word=patterns.compile(_phrase(cues["issuer"]["words"])),
        list_sep=patterns.compile(r"[ \t]{0,3}(?:[,;]|và|,[ \t]{0,3}và)[ \t]{0,3}"),
        name_stop=patterns.compile(
            rf"[;.:()|\n\[\]\"“”]|,|\s\d|\s(?:{name_stops})(?!\p{{L}})"
            rf"|\s(?P<and>(?i:và))\s(?P<hard>(?=\p{{Lu}}|{and_stops}(?!\p{{L}})))?|\s-\s"),
        not_name=patterns.compile(
            rf"(?:{_phrase(named['not_names'], ascii=False)}"
            rf"|{'|'.join(map(regex.escape, named['lower_not_names']))})(?!\p{{L}})"),
        amending=patterns.compile(named["amending"]),
        abbreviations=tuple((patterns.compile(rf"(?<!\p{{L}}){regex.escape(k)}(?!\p{{L}})"), v)
                            for k, v in named["abbreviations"].items()),
        comma_idiom=patterns.compile(rf"(?i:{'|'.join(idioms)})"),
        then_number=patterns.compile(rf"{_SP}{number_word}{_OPT}(?=\d)"),
        opening_line=patterns.compile(r"^(?:[IVXLC]+|\d{1,2})[.)]\s", regex.MULTILINE),
    )


# --- one mention ------------------------------------------------------------------------------


@dataclass
class _Mention:
    start: int
    end: int
    doc_type: str | None
    number: str | None
    year: int | None = None  # the year written in the identifier
    symbol: str | None = None
    identifier: str | None = None
    issuer: _Issuer | None = None  # from the identifier's code
    known: bool = True  # every code of the identifier is in the registries
    date: VnDate | None = None
    said_issuer: str | None = None  # from "của …" or a list head
    title: str | None = None
    short: bool = False


@dataclass
class _Context:
    """What a mention inherits from its sentence: the type word of the list it is in and
    the issuer of a list head ("các Quyết định của Bộ …: số …; số …")."""

    type_code: str | None = None
    issuer: str | None = None
    end: int = 0  # where the previous mention (with its tail) ended


def _word_type(word: str | None) -> str | None:
    return None if word is None else _registry().words.get(_fold(word))


def _symbol_groups(sym: str) -> tuple[list[str], int]:
    """The code groups of a symbol and the length of the symbol they cover.

    A space inside the symbol joins two parts of one code (``LĐT BXH``), or stands for a
    lost hyphen (``QĐ UBND``); otherwise the identifier ends before it.
    """
    reg = _registry()
    groups: list[str] = []
    pos = 0
    for match in _re(r"(\s?[-/]\s?|[ ])?([^\s/-]+)").finditer(sym):
        sep, part = match.group(1), match.group(2)
        if sep == " " and groups:
            joined = groups[-1] + part
            if reg.issuers.get(joined) or reg.units.get(joined):
                groups[-1] = joined
            elif reg.types.get(groups[-1]) and reg.issuers.get(part) and len(groups) == 1:
                groups.append(part)
            else:
                break
        else:
            groups.append(part)
        pos = match.end()
    return groups, pos


def _split_joined(group: str) -> list[str]:
    """``NĐCP`` → [``NĐ``, ``CP``]: a type code and an issuer code run together."""
    reg = _registry()
    if reg.types.get(group) or reg.issuers.get(group) or reg.issuers.get(_split_term(group)[0]):
        return [group]
    for cut in range(1, len(group)):
        if reg.types.get(group[:cut]) and reg.issuers.get(_split_term(group[cut:])[0]):
            return [group[:cut], group[cut:]]
    return [group]


def _canon_code(code: str) -> tuple[str, bool]:
    """The registry spelling of an issuer or unit code, and whether it is known."""
    reg = _registry()
    base, digits = _split_term(code)
    for written, suffix in ((code, ""), (base, digits)):
        issuer, unit = reg.issuers.get(written), reg.units.get(written)
        if issuer is not None or unit is not None:
            return (issuer.code if issuer else str(unit)) + suffix, True
    return code, False


def _issuer_code(issuer: _Issuer | None, written: str) -> tuple[str, bool]:
    """The canonical spelling of the issuer group ``written`` (term number kept: QH15)."""
    if issuer is None:
        return _canon_code(written)
    if _fold(issuer.code) == _fold(written):
        return issuer.code, True
    return issuer.code + _split_term(written)[1], True


def _identifier(match: regex.Match[str], word_code: str | None, near: Sequence[_Issuer]
                ) -> tuple[_Mention, int] | None:
    """A mention from an identifier match, and where the identifier really ends. ``near``
    are the issuers the sentence names, to read a mistyped issuer code against."""
    if match.group("pnum"):
        return _party_identifier(match, near)
    return _state_identifier(match, word_code, near)


def _party_identifier(match: regex.Match[str], near: Sequence[_Issuer]
                      ) -> tuple[_Mention, int]:
    """``60-NQ/TW``: number, type, then the Party body after a slash."""
    reg = _registry()
    number, written_type = match.group("pnum"), match.group("ptype")
    type_entry = reg.types.get(written_type)
    type_code = type_entry.code if type_entry else written_type
    groups = _re(r"[-/]").split(match.group("piss"))
    issuer = reg.resolve_issuer(groups[0], near)
    codes = [_issuer_code(issuer, groups[0]), *map(_canon_code, groups[1:])]
    symbol = f"{type_code}/" + "-".join(code for code, _ in codes)
    known = type_entry is not None and all(k for _, k in codes)
    end = int(match.end("piss"))
    return _Mention(match.start("pnum"), end, type_code, number, None, symbol,
                    f"{number}-{symbol}", issuer, known), end


def _state_identifier(match: regex.Match[str], word_code: str | None,
                      near: Sequence[_Issuer]) -> tuple[_Mention, int] | None:
    """``1629/QĐ-TTg``, ``178/2004/NĐ-CP``, ``882/TTg-KGVX``: number, optional year, then
    the type code (absent for a công văn), the issuer and drafting-unit codes."""
    reg = _registry()
    number = match.group("num")
    year = int(match.group("year")) if match.group("year") else None
    raw_groups, covered = _symbol_groups(match.group("sym"))
    end = int(match.start("sym")) + covered
    groups = [g for raw in raw_groups for g in _split_joined(raw)]
    first = reg.types.get(groups[0])
    type_code = first.code if first else None
    rest = groups[1:] if first else groups
    issuer = reg.resolve_issuer(rest[0], near) if rest else None
    codes = [_issuer_code(issuer, rest[0])] if rest else []
    codes += [_canon_code(g) for g in rest[1:]]
    doc_type = type_code or word_code or (issuer.default_type if issuer else None) or "CV"
    symbol = "-".join([*([type_code] if type_code else []), *(c for c, _ in codes)])
    identifier = f"{number}/{year}/{symbol}" if year else f"{number}/{symbol}"
    known = all(k for _, k in codes) and (issuer is not None or not rest)
    return _Mention(match.start("num"), end, doc_type, number, year, symbol, identifier,
                    issuer, known), end


def _date_at(text: str, pos: int) -> tuple[VnDate | None, int]:
    """A date of issue right after ``pos`` ("ngày 28/9/2021", "(28-9-2021)")."""
    lead = _patterns().date_lead.match(text, pos)
    if lead is None:
        return None, pos
    starts = {lead.end()}
    if lead.group("ngay"):
        starts.add(lead.start("ngay"))
    for span, date in find_dates(text, min(starts), min(len(text), lead.end() + 40)):
        if span[0] in starts:
            close = _re(r"\s?\)").match(text, span[1])
            return date, span[1] + (close.end() if close and "(" in lead.group() else 0)
        break
    return None, pos


# A short aside after an issuer's name: its abbreviation.
_ASIDE_RE = patterns.compile(r"\s?\([^()\n]{1,20}\)")
_TITLE_PUNCTUATION_RE = patterns.compile(r"[,;\-–]")
# "Ngày 28 tháng 10 năm 2025, Chủ tịch UBND Thành phố đã ban hành Công văn số …": the date
# of issue opens the sentence, before the document.
_ISSUED_RE = patterns.compile(r",[^.;\n]{0,120}?\b(?:ban hành|ký)\b[^.;\n]{0,40}$")


# How far back the sentence of a citation may open, and how far into it its date may end:
# bounds that keep a line of thousands of citations linear (each looks back only so far).
_SENTENCE_REACH = 2000
_DATE_REACH = 80


def _date_before(text: str, start: int) -> VnDate | None:
    lo = max(0, start - _SENTENCE_REACH)
    line = max(text.rfind("\n", lo, start), text.rfind(". ", lo, start)) + 1
    if line == 0 and lo > 0:
        return None  # a sentence longer than any that opens with its date
    head = text[line:start].lstrip(" .")
    found = next(find_dates(head, 0, min(len(head), _DATE_REACH)), None)
    if found is None or found[0][0] > 5 or not _ISSUED_RE.search(head, found[0][1]):
        return None
    return found[1]


def _place(metadata: Metadata, level_word: str | None) -> str | None:
    """The citing document's own unit at the level ``level_word`` names, e.g. "tỉnh" in a
    Lai Châu plan → "tỉnh Lai Châu"; None when it cannot be told."""
    loc = metadata.locality
    province = loc.name if loc.level == "province" else (
        loc.parent if loc.parent in _provinces() else None)
    units: list[tuple[str, str, str]] = []  # (level, word, name)
    if province:
        units.append(("province", _province_word(province, metadata.issuer), province))
    if loc.level in ("district", "commune") and loc.name:
        word = _level_word_in(metadata.issuer, loc.name)
        if word:
            units.append((loc.level, word, loc.name))
    reg = _registry()
    for level, word, name in units:
        if level_word is None and level == "province":
            return f"{word} {name}"
        if level_word is not None:
            wanted = reg.levels.get(_fold(level_word))
            if wanted and wanted[0] == word and level in wanted[1]:
                return f"{word} {name}"
    return None


@cache
def _provinces() -> dict[str, bool]:
    """Each province's name → whether it is a thành phố trực thuộc trung ương."""
    return {p["name"]: bool(p.get("central_city")) for p in load("provinces")["provinces"]}


def _province_word(province: str, issuer: str | None) -> str:
    """"tỉnh" or "thành phố" before the province's name."""
    return _level_word_in(issuer, province) or (
        "thành phố" if _provinces().get(province) else "tỉnh")


def _level_word_in(issuer: str | None, name: str) -> str | None:
    """The level word standing before ``name`` in the document's issuer line."""
    if not issuer:
        return None
    for key, (word, _) in _registry().levels.items():
        if _fold(f"{key} {name}") in _fold(issuer):
            return word
    return None


def _issuer_at(text: str, pos: int, metadata: Metadata) -> tuple[str, int, list[_Issuer]] | None:
    """The issuer named at ``pos`` (after "của"), expanded and completed with the citing
    document's locality; with its end and the registry issuers of that name."""
    pats, reg = _patterns(), _registry()
    match = pats.issuer.match(text, pos)
    if match is None:
        generic = pats.generic_issuer.match(text, pos)
        if generic is None:
            return None
        name = _squeeze(generic.group()).rstrip(" -&.")
        return name, generic.start() + len(name), []
    found = reg.named(match.group("name"))
    parts = [match.group("pos")] if match.group("pos") else []
    parts.append(found[0].name if found else match.group("name"))
    complete = found[0].complete if found else None
    end = match.end()
    if match.group("bare"):
        if found and found[0].level != "central":  # "Tỉnh ủy Lào Cai"
            parts.append(match.group("bare").strip())
        else:
            end = match.start("bare")
    elif match.group("lvl"):
        word = reg.levels[_fold(match.group("lvl"))][0]
        place = (match.group("place") or "").strip()
        parts.append(f"{word} {place}" if place else _place(metadata, word) or word)
    if complete == "province" and not (match.group("lvl") or match.group("bare")):
        where = _place(metadata, None)
        if where:
            parts.append(where)
    return " ".join(parts), end, found


def _title_at(text: str, pos: int, limit: int) -> tuple[str, int] | None:
    """The subject opened at ``pos`` by "về …", "ban hành …", up to where the citation ends."""
    pats = _patterns()
    cue = pats.title_cue.match(text, pos)
    if cue is None:
        return None
    start = cue.end()
    stop = min(limit, start + _TITLE_MAX, len(text))
    end_match = pats.title_end.search(text, start, stop)
    end = end_match.start() if end_match else stop
    words = _squeeze(text[start:end]).rstrip(" ,").split(" ")
    while words and words[-1] in _DANGLING:
        words.pop()  # "… giai đoạn 2021-2025 và" before the next citation
    title = " ".join(words).rstrip(" ,")
    return (title, start + len(title)) if title else None


def _law_name(text: str, pos: int) -> int | None:
    """Where the name of a law opened at ``pos`` ends ("Luật Ngân sách nhà nước và các …");
    None when the words after "Luật" are not a name ("Luật này", "Luật có hiệu lực")."""
    pats = _patterns()
    amending = pats.amending.match(text, pos)
    if amending:  # "Luật sửa đổi, bổ sung một số điều của Bộ luật Hình sự"
        return _amended_laws_end(text, amending.end())
    if pats.not_name.match(text, pos):
        return None
    limit = min(len(text), pos + 150)
    end, search_from, seen_and = limit, max(0, pos - 1), False
    for stop in pats.name_stop.finditer(text, search_from, limit):
        if stop.group() == "," and any(
                i.start() <= stop.start() < i.end()
                for i in pats.comma_idiom.finditer(text, max(pos, stop.start() - 30),
                                                   min(len(text), stop.end() + 30))):
            continue  # "Phòng, chống mại dâm"
        if stop.group("and") and stop.group("hard") is None and not seen_and:
            seen_and = True  # one "và" inside a name: "Luật Địa chất và khoáng sản"
            continue
        end = stop.start()
        break
    end = pos + len(text[pos:end].rstrip(" ,-"))
    return end if end > pos else None


_INNER_LAW_RE = patterns.compile(r"(?:Bộ\s{1,3}[Ll]uật|Luật)\s{1,3}")
# The next law of the list, after a name's own lower-case tail ("Luật Thuế xuất khẩu, thuế nhập
# khẩu, Luật Đầu tư").
_NEXT_LAW_RE = patterns.compile(r"(?:,\s{0,3}\p{Ll}[\p{Ll} ]{0,40}?)?"
                             r"(?:\s{0,3},\s{0,3}(?:và\s{1,3})?|\s{1,3}và\s{1,3})"
                             r"(?=(?:Bộ\s{1,3}[Ll]uật|Luật)\s)")


def _amended_laws_end(text: str, pos: int) -> int | None:
    """Where the list of laws an amending law amends ends: "… của Luật Quy hoạch, Luật Đầu tư
    và Luật Đấu thầu" is one name, and a date after it is the amending law's."""
    end: int | None = None
    while True:
        inner = _INNER_LAW_RE.match(text, pos)
        name_end = _law_name(text, inner.end()) if inner else None
        if name_end is None:
            return end
        end = name_end
        more = _NEXT_LAW_RE.match(text, end)
        if more is None:
            return end
        pos = more.end()


# --- the document ---------------------------------------------------------------------------


def _own_identifier(metadata: Metadata) -> str | None:
    if not metadata.identifier:
        return None
    match = _patterns().ident.search(metadata.identifier)
    built = _identifier(match, metadata.doc_type, ()) if match else None
    return built[0].identifier if built else metadata.identifier


def _opening_end(text: str, sections: Sequence[Section]) -> int:
    """Where the preamble (the "Căn cứ / Thực hiện" paragraphs) ends: at the first section
    heading, or, with no sections, at the first numbered line."""
    if sections:
        return min(s.heading_span[0] for s in sections)
    line = _patterns().opening_line.search(text)
    return line.start() if line else len(text)


class _Reader:
    """Reads the anchors of one text in order, keeping the sentence's list context."""

    def __init__(self, text: str, metadata: Metadata) -> None:
        self.text = text
        self.metadata = metadata
        self.own = _own_identifier(metadata)
        self.mentions: list[_Mention] = []
        self.named: list[_Mention] = []
        self.context = _Context()

    def read(self) -> None:
        pats, text = _patterns(), self.text
        anchors: list[tuple[int, regex.Match[str] | None, regex.Match[str] | None]] = []
        for core in pats.core.finditer(text):
            if core.group("named"):
                anchors.append((core.start(), None, core))
                continue
            ident = pats.ident.match(text, core.start())
            if ident is not None:
                prefix = pats.prefix.match(text, max(0, core.start() - 60), core.start())
                anchors.append((prefix.start() if prefix else core.start(), ident, prefix))
        numbered = [start for start, ident, _ in anchors if ident is not None]
        consumed = 0
        for start, ident, other in anchors:
            if start < consumed:
                continue
            if ident is None and other is not None:
                consumed = self._named(other)
                continue
            if ident is not None:
                i = bisect_right(numbered, start)
                following = numbered[i] if i < len(numbered) else len(text)
                consumed = self._numbered(start, ident, other, following)
        self._short_references()

    def _short_references(self) -> None:
        """"Nghị định 178" after "Nghị định số 178/2004/NĐ-CP": the number of a document
        cited in full, after its type word."""
        numbers = {m.number.lstrip("0") or "0" for m in self.mentions if m.number}
        if not numbers:
            return
        pats, text = _patterns(), self.text
        alternatives = "|".join(regex.escape(n) for n in patterns.longest_first(numbers))
        pattern = regex.compile(rf"(?<![\d/.,])0*(?:{alternatives})"
                                rf"(?!\d|\s?[-/]\s?[\p{{L}}\d]|[.,]\d)")
        for hit in pattern.finditer(text):
            prefix = pats.short_prefix.match(text, max(0, hit.start() - 40), hit.start())
            if prefix is not None:
                self.mentions.append(_Mention(prefix.start(), hit.end(), _word_type(
                    prefix.group("tw")), hit.group(), short=True))

    def _numbered(self, start: int, match: regex.Match[str], prefix: regex.Match[str] | None,
                  following: int) -> int:
        text, pats = self.text, _patterns()
        tw = prefix.group("tw") if prefix else None
        so = prefix.group("so") if prefix else None
        if (so and _re(r"Số\s{0,3}:").match(so)) or pats.not_before.search(
                text[max(0, start - 40):match.start()]):
            return int(match.end())
        context = self._context_for(start)
        word_code = _word_type(tw) or context.type_code
        # The issuer named after the identifier guides the reading of a mistyped code.
        date, after = _date_at(text, match.end())
        said, _ = self._said_issuer(after)
        near = said[2] if said else _registry().named(context.issuer or "")
        built = _identifier(match, word_code, near)
        if built is None:
            return int(match.end())
        mention, ident_end = built
        if ident_end != match.end():
            date, after = _date_at(text, ident_end)
        if not (tw or match.group("pnum") or mention.year or date
                or "-" in (mention.symbol or "")):
            return int(match.end())  # "138/CP" alone is too weak to be a citation
        if mention.identifier == self.own:
            return ident_end
        mention.start, mention.date = start, date
        said, after = self._said_issuer(after)
        if said:
            mention.said_issuer, after = said[0], said[1]
            if date is None:  # "của Bộ Giáo dục và Đào tạo (GDĐT) ngày 05 tháng 02 năm 2026"
                aside = _ASIDE_RE.match(text, after)
                mention.date, after = _date_at(text, aside.end() if aside else after)
        else:
            mention.said_issuer = context.issuer
        if mention.date is None:
            mention.date = _date_before(text, start)
        title = _title_at(text, after, following)
        if title:
            mention.title, after = title
        self.mentions.append(mention)
        self.context = _Context(word_code, context.issuer, after)
        return ident_end

    def _said_issuer(self, pos: int) -> tuple[tuple[str, int, list[_Issuer]] | None, int]:
        """The issuer after "của" at ``pos``, and where reading goes on."""
        lead = _patterns().issuer_lead.match(self.text, pos)
        if lead is None:
            return None, pos
        found = _issuer_at(self.text, lead.end(), self.metadata)
        return found, found[1] if found else lead.end()

    def _context_for(self, start: int) -> _Context:
        """A list head ("các Quyết định của Bộ …: số …") gives the items after it their type
        and issuer; a list separator (", ", "; ", "và") carries them on; anything else, or a
        new line, ends the list."""
        pats = _patterns()
        line_start = self.text.rfind("\n", 0, start) + 1
        previous = self.context
        same_line = previous.end >= line_start and previous.end > 0
        gap_start = max(previous.end if same_line else line_start, start - _LIST_REACH)
        gap = self.text[gap_start:start]
        # the cheap search first: a gap without "của" holds no list head
        heads = list(pats.list_head.finditer(gap)) if pats.issuer_word.search(gap) else []
        if heads:
            issuer = _issuer_at(self.text, gap_start + heads[-1].end(), self.metadata)
            if issuer and _re(r"\s{0,3}:\s{0,3}").fullmatch(self.text, issuer[1], start):
                return _Context(_word_type(heads[-1].group("tw")), issuer[0])
        if same_line and (pats.list_sep.fullmatch(gap) or (
                previous.issuer and not _re(r"\.\s").search(gap))):
            return previous
        return _Context()

    def _named(self, match: regex.Match[str]) -> int:
        text, pats = self.text, _patterns()
        end = _law_name(text, match.end())
        if end is None:
            return int(match.start())  # "Luật số 69/2025/QH15" is read from its number
        code = _word_type(match.group("named")) or "L"
        title = _squeeze(text[match.start():end])
        for pattern, full in pats.abbreviations:  # "Luật NSNN": Luật Ngân sách nhà nước
            title = pattern.sub(full.lower() if title.islower() else full, title)
        then = pats.then_number.match(text, end)
        number = pats.ident.match(text, then.end()) if then else None
        built = _identifier(number, code, ()) if number else None
        if built:
            mention, ident_end = built
            mention.start, mention.title = match.start(), title
            mention.date = _date_at(text, ident_end)[0]
            self.mentions.append(mention)
            return ident_end
        date = _date_at(text, end)[0]
        self.named.append(_Mention(match.start(), end, code, None, title=title, date=date))
        return end


_Signature = tuple[int | None, str | None, str | None, str | None]


def _signature(m: _Mention) -> _Signature:
    """What decides whether two mentions name one document: year, date, identifier and
    (when its codes are known) issuer."""
    issuer = m.issuer.name if m.issuer and m.known else None
    return (m.year, m.date.iso() if m.date else None, m.identifier, issuer)


def _same_document(a: _Signature, b: _Signature) -> bool:
    """Two mentions of one type and number name one document unless their years, dates
    or (both known) issuers differ; an unknown code is a typo of the known one."""
    (year_a, date_a, ident_a, issuer_a), (year_b, date_b, ident_b, issuer_b) = a, b
    if year_a and year_b and year_a != year_b:
        return False
    if date_a and date_b and date_a != date_b:
        return False
    if ident_a == ident_b:
        return True
    if issuer_a and issuer_b:
        return issuer_a == issuer_b
    return True


def _group(mentions: list[_Mention]) -> list[list[_Mention]]:
    """Mentions grouped into documents: same type and number, compatible year, date and
    issuer; a short reference joins the nearest document before it."""
    docs: list[list[_Mention]] = []
    by_key: dict[tuple[str | None, str], list[list[_Mention]]] = {}
    # A document's distinct signatures: comparing with them, not with every mention, keeps
    # grouping linear in the number of mentions.
    signatures: dict[int, set[_Signature]] = {}
    for mention in sorted(mentions, key=lambda m: (m.short, m.start)):
        key = (mention.doc_type, (mention.number or "").lstrip("0") or "0")
        candidates = by_key.setdefault(key, [])
        if mention.short:
            before = [d for d in candidates if d[0].start < mention.start]
            target = before[-1] if before else (candidates[0] if candidates else None)
            if target is not None:
                target.append(mention)
            continue
        signature = _signature(mention)
        home = next((d for d in candidates
                     if all(_same_document(signature, s) for s in signatures[id(d)])), None)
        if home is None:
            home = []
            candidates.append(home)
            docs.append(home)
            signatures[id(home)] = set()
        home.append(mention)
        signatures[id(home)].add(signature)
    return docs


def _most_common(values: Iterable[str | None]) -> str | None:
    """The value written most often (the first of equals), or None."""
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def _implied_issuer(doc_type: str | None) -> str | None:
    """The issuer a type implies: a Nghị định is the Chính phủ's, a Luật the Quốc hội's."""
    entry = _registry().types.get(doc_type or "")
    issuer = _registry().issuers.get(entry.default_issuer) if entry and entry.default_issuer \
        else None
    return issuer.name if issuer else None


def _citation(group: list[_Mention], text: str, opening_end: int) -> Citation:
    full = [m for m in group if not m.short]
    known = [m.identifier for m in full if m.known] or [m.identifier for m in full]
    identifier = Counter(known).most_common(1)[0][0]
    best = next(m for m in full if m.identifier == identifier)
    dates = [m.date.iso() for m in full if m.date and m.date.iso()]
    date = Counter(dates).most_common(1)[0][0] if dates else None
    year = best.year or next((m.date.year for m in full if m.date and m.date.year), None)
    said = next((m.said_issuer for m in full if m.said_issuer), None)
    coded = next((m.issuer.name for m in full if m.issuer), None)
    return Citation(
        doc_type=best.doc_type, number=best.number, year=year, symbol=best.symbol,
        identifier=identifier, date=date, issuer=said or coded or _implied_issuer(best.doc_type),
        title=_most_common(m.title for m in full),
        relation="basis" if any(m.start < opening_end for m in group) else "reference",
        mentions=[Mention(span=(m.start, m.end), raw=text[m.start:m.end])
                  for m in sorted(group, key=lambda m: m.start)],
    )


def _trim_run_ons(named: list[_Mention], titles: Iterable[str]) -> None:
    """A name read on into the sentence ("Luật PPP giao ký kết hợp đồng") is cut back to
    the longest name the document writes more often that it starts with ("Luật PPP")."""
    counts = Counter(_squeeze(t) for t in [*(m.title or "" for m in named), *titles] if t)
    for m in named:
        title = m.title or ""
        words = title.split(" ")
        for n in range(len(words) - 1, 1, -1):
            shorter = " ".join(words[:n])
            if counts.get(shorter, 0) > counts[title]:
                m.title, m.end = shorter, m.start + len(shorter)
                break


def _name_key(title: str) -> str:
    """One key for the ways a law's name is written: abbreviations written out ("Luật
    NSNN"), punctuation and case aside ("Luật Thi đua, khen thưởng" = "Luật Thi đua khen
    thưởng")."""
    for pattern, full in _patterns().abbreviations:
        title = pattern.sub(full, title)
    return " ".join(_TITLE_PUNCTUATION_RE.sub(" ", _fold(title)).split())


def _extend_cut_names(named: list[_Mention], text: str) -> None:
    """A name cut at a comma ("Luật Thi đua" of "Luật Thi đua, khen thưởng") is the longer
    name when the document also writes that one whole."""
    keys = {_name_key(m.title or ""): m for m in named}
    for m in named:
        if not m.title or not text.startswith(",", m.end):
            continue
        key = _name_key(m.title)
        longer = [k for k in keys if k.startswith(key + " ") and k != key]
        for k in sorted(longer, key=len):
            whole = keys[k]
            span = len(whole.title or "") + (len(text[m.start:m.end + 1]) - len(m.title))
            candidate = text[m.start : m.start + span + 1]
            if _name_key(candidate) == k:
                m.title, m.end = whole.title, m.start + len(candidate.rstrip(" ,;."))
                break


def _named_citations(named: list[_Mention], numbered: list[Citation], text: str,
                     opening_end: int) -> list[Citation]:
    """Laws and ordinances cited by name, one per name; a name that a numbered citation
    already carries as its title joins that citation."""
    by_title = {_name_key(c.title): c for c in numbered
                if c.title and c.doc_type in ("L", "PL")}
    _trim_run_ons(named, (c.title for c in by_title.values() if c.title))
    _extend_cut_names(named, text)
    out: dict[str, Citation] = {}
    for m in named:
        key = _name_key(m.title or "")
        mention = Mention(span=(m.start, m.end), raw=text[m.start:m.end])
        home = by_title.get(key) or out.get(key)
        if home is not None:
            home.mentions.append(mention)
            if m.start < opening_end:
                home.relation = "basis"
            continue
        out[key] = Citation(
            doc_type=m.doc_type, title=m.title, date=m.date.iso() if m.date else None,
            year=m.date.year if m.date else None, issuer=_implied_issuer(m.doc_type),
            relation="basis" if m.start < opening_end else "reference", mentions=[mention])
    return list(out.values())


# Citations are read everywhere but in a site's chrome (a saved page's related documents).
_CITING: tuple[ZoneKind, ...] = ("header", "title", "body", "closing", "appendix", "attached",
                                 "footnotes")


def find_citations(context: Context) -> Found[Citation]:
    """Văn bản được viện dẫn (cited documents) of a document, one entry per document, in the
    order of their first mention; the document's own identifier is never one.

    >>> from kehoach_parser.context import context_of
    >>> [c.identifier for c in find_citations(context_of(
    ...     "theo Nghị định số 178/2004/NĐ-CP ngày 15/10/2004 của Chính phủ; Nghị định 178 "
    ...     "và Luật Ngân sách nhà nước", metadata=Metadata())).items]
    ['178/2004/NĐ-CP', None]
    """
    text = context.visible(_CITING)
    sections, metadata = context.sections, context.metadata
    reader = _Reader(text, metadata)
    reader.read()
    opening_end = _opening_end(text, sections)
    numbered = [_citation(group, text, opening_end) for group in _group(reader.mentions)
                if any(not m.short for m in group)]
    named = _named_citations(reader.named, numbered, text, opening_end)
    for citation in numbered:  # a law's named mentions joined it out of order
        citation.mentions.sort(key=lambda m: m.span)
    return Found(sorted([*numbered, *named], key=lambda c: c.mentions[0].span[0]))


__all__ = ["find_citations"]

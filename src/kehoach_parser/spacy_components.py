"""Thành phần spaCy (spaCy pipeline components): sections, citations, targets and agencies as
span groups of a spaCy ``Doc``.

The only module that imports spaCy (``pip install kehoach-parser[spacy]``). Importing it
registers five factories, which are also ``spacy_factories`` entry points, so that
``spacy.blank("xx").add_pipe("kehoach")`` works without importing anything:

* ``kehoach_sections`` → ``doc.spans["kehoach_sections"]``, labelled with the section kinds
  (``"purpose+requirements"``), ``span._.section``: every section, parents before children;
* ``kehoach_citations`` → ``doc.spans["kehoach_citations"]``, labelled with the document type
  (``"QĐ"``, else ``"citation"``), ``span._.citation``: one span per mention;
* ``kehoach_targets`` → ``doc.spans["kehoach_targets"]``, labelled with the comparator
  (``"gte"``), ``span._.target``; config ``catalogue``: a TOML indicator catalogue;
* ``kehoach_agencies`` → ``doc.spans["kehoach_agencies"]``, labelled with the level
  (``"province"``, else ``"agency"``), ``span._.agency``;
* ``kehoach``: all four.

>>> import spacy
>>> nlp = spacy.blank("xx")
>>> _ = nlp.add_pipe("kehoach")
>>> doc = nlp("KẾ HOẠCH\\nCăn cứ Quyết định số 1629/QĐ-TTg ngày 28/9/2021 của Thủ tướng "
...           "Chính phủ;\\nI. MỤC TIÊU\\n"
...           "Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền.\\n"
...           "II. TỔ CHỨC THỰC HIỆN\\n1. Công an tỉnh\\nChủ trì kiểm tra.")
>>> [(s.text, s.label_, s._.citation.identifier) for s in doc.spans["kehoach_citations"]]
[('Quyết định số 1629/QĐ-TTg', 'QĐ', '1629/QĐ-TTg')]
>>> [(s.label_, s._.target.value) for s in doc.spans["kehoach_targets"]]
[('gte', 100)]
>>> [(s.text, s.label_, s._.agency.canonical) for s in doc.spans["kehoach_agencies"]]
[('Công an tỉnh', 'province', 'Công an tỉnh')]

Every factory takes ``alignment_mode`` (``"expand"`` by default). Besides the spans,
``doc._.kehoach`` is the :class:`~kehoach_parser.models.PlanDocument` (None for a blank text),
``doc._.kehoach_analysis`` the :class:`~kehoach_parser.pipeline.Analysis` (None once the Doc
went through bytes) and ``doc._.kehoach_unaligned`` the spans that could not be made.

Why it is built this way:

* The Doc's text is the raw input and the parser's spans point into the normalized text, so
  each span is mapped back with ``Layout.to_raw_span`` and then put on token boundaries:
  "expand" takes the smallest run of tokens covering the characters (a tokenizer that joins
  "28/9/2021" or "Ủy ban" must not lose a span starting inside it). A span that still cannot
  be made is listed in ``doc._.kehoach_unaligned``, never dropped silently.
* The document is parsed once per Doc, by whichever component runs first; the others reuse it.
* ``Doc.to_bytes`` (``nlp.pipe(n_process=…)``, ``DocBin(store_user_data=True)``) keeps
  ``doc.user_data`` as msgpack, so the parse is stored there as the JSON of the
  ``PlanDocument``; the live objects are kept in a weak cache beside the Doc and rebuilt from
  the JSON after a round trip.
* Span extensions are getters: a span's id (``"targets:3"``) indexes the document's list, so
  nothing is stored per span and spans of one cited document share one id.
"""

import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from spacy.language import Language
from spacy.tokens import Doc, Span

from .context import Context
from .errors import EmptyInputError
from .indicators import Catalogue, load_catalogue
from .layout import Layout as Normalized
from .models import Agency, Citation, PlanDocument, Section, Target
from .models import Span as Offsets
from .pipeline import Analysis, analyze_text
from .sections import walk
from .targets import find_targets

AlignmentMode = Literal["strict", "contract", "expand"]
Unaligned = dict[str, Any]  # {"spans_key", "index", "start", "end"}: raw offsets of the item

# doc.user_data keys: msgpack-able values only (Doc.to_bytes).
_STORED = "kehoach_parser.document"  # PlanDocument JSON, or None for a blank text
_UNALIGNED = "kehoach_parser.unaligned"
_CATALOGUE_FILE = "catalogue.toml"
_ASSIGNS = ["doc.spans", "doc._.kehoach", "doc._.kehoach_analysis", "doc._.kehoach_unaligned"]


@dataclass(frozen=True)
class _Family:
    """Một loại kết quả (a result family): where its spans go and how they are labelled."""

    name: str  # the PlanDocument field, and the prefix of its spans' ids
    attr: str  # the span extension that gives the item
    label: Callable[[Any], str]
    offsets: Callable[[Any], list[Offsets]]  # the item's spans in the normalized text

    @property
    def spans_key(self) -> str:
        return f"kehoach_{self.name}"


def _section_label(section: Section) -> str:
    return "+".join(section.kinds) or "section"


def _citation_label(citation: Citation) -> str:
    return citation.doc_type or "citation"


def _target_label(target: Target) -> str:
    return target.comparator


def _agency_label(agency: Agency) -> str:
    return agency.level or "agency"


def _own_span(item: Section | Target | Agency) -> list[Offsets]:
    return [item.span]


def _mention_spans(citation: Citation) -> list[Offsets]:
    return [mention.span for mention in citation.mentions]


FAMILIES = {
    family.name: family
    for family in (
        _Family("sections", "section", _section_label, _own_span),
        _Family("citations", "citation", _citation_label, _mention_spans),
        _Family("targets", "target", _target_label, _own_span),
        _Family("agencies", "agency", _agency_label, _own_span),
    )
}


@dataclass
class _State:
    """The parse of one Doc: the document and, until a round trip through bytes, the
    normalization that maps its spans to the Doc's text."""

    document: PlanDocument | None
    normalized: Normalized | None = None
    _sections: tuple[Section, ...] | None = None

    def items(self, family: _Family) -> Sequence[BaseModel]:
        if self.document is None:
            return ()
        if family.name != "sections":
            items: Sequence[BaseModel] = getattr(self.document, family.name)
            return items
        if self._sections is None:
            self._sections = tuple(walk(self.document.sections))
        return self._sections


_STATES: weakref.WeakKeyDictionary[Doc, _State] = weakref.WeakKeyDictionary()


def _state(doc: Doc) -> _State | None:
    """The parse of ``doc``: cached, or rebuilt from ``user_data``; None if never parsed."""
    state = _STATES.get(doc)
    if state is None and _STORED in doc.user_data:
        stored = doc.user_data[_STORED]
        state = _State(None if stored is None else PlanDocument.model_validate_json(stored))
        _STATES[doc] = state
    return state


def _store(doc: Doc, state: _State) -> None:
    _STATES[doc] = state
    document = state.document
    doc.user_data[_STORED] = None if document is None else document.model_dump_json()


def _analysed(doc: Doc) -> _State:
    """The parse of ``doc`` with its normalization: made by the first component that asks."""
    state = _state(doc)
    if state is not None and (state.document is None or state.normalized is not None):
        return state
    try:
        analysis = analyze_text(doc.text)
    except EmptyInputError:
        state = _State(None)
    else:
        # After a round trip only the offset map is missing: keep the stored document (its
        # targets may come from a custom catalogue).
        document = analysis.document if state is None else state.document
        state = _State(document, analysis.normalized)
    _store(doc, state)
    return state


def _document(doc: Doc) -> PlanDocument | None:
    state = _state(doc)
    return None if state is None else state.document


def _analysis(doc: Doc) -> Analysis | None:
    state = _state(doc)
    if state is None or state.document is None or state.normalized is None:
        return None
    return Analysis(state.document, state.normalized)


def _unaligned(doc: Doc) -> list[Unaligned]:
    records: list[Unaligned] = doc.user_data.get(_UNALIGNED, [])
    return records


def _item(name: str, span: Span) -> BaseModel | None:
    """The item behind a span of the family ``name`` (``span._.target``, …), else None."""
    prefix, _, index = span.id_.partition(":")
    state = _state(span.doc)
    if prefix != name or not index.isdigit() or state is None:
        return None
    items = state.items(FAMILIES[name])
    return items[int(index)] if int(index) < len(items) else None


def _register_extensions() -> None:
    # force: a re-import (notebook reload) must not leave getters of a stale module behind.
    Doc.set_extension("kehoach", getter=_document, force=True)
    Doc.set_extension("kehoach_analysis", getter=_analysis, force=True)
    Doc.set_extension("kehoach_unaligned", getter=_unaligned, force=True)
    for family in FAMILIES.values():
        Span.set_extension(family.attr, getter=partial(_item, family.name), force=True)


def _spans(doc: Doc, state: _State, family: _Family,
           mode: AlignmentMode) -> tuple[list[Span], list[Unaligned]]:
    spans: list[Span] = []
    unaligned: list[Unaligned] = []
    if state.normalized is None:
        return spans, unaligned
    for index, item in enumerate(state.items(family)):
        for offsets in family.offsets(item):
            start, end = state.normalized.to_raw_span(offsets)
            span = doc.char_span(start, end, label=family.label(item),
                                 span_id=f"{family.name}:{index}", alignment_mode=mode)
            if span is None:
                unaligned.append({"spans_key": family.spans_key, "index": index,
                                  "start": start, "end": end})
            else:
                spans.append(span)
    return spans, unaligned


class KehoachComponent:
    """Thành phần (a pipeline component) that writes the span groups of some families.

    ``catalogue`` (a TOML file, see ``indicators.load_catalogue``) maps targets to another
    programme's indicators; it is read at first use, and ``nlp.to_disk`` copies it into the
    saved pipeline, where ``spacy.load`` reads it (the original file is then not needed).
    """

    def __init__(self, name: str, families: Iterable[str], *,
                 alignment_mode: AlignmentMode = "expand", catalogue: str | None = None) -> None:
        self.name = name
        self.families = tuple(FAMILIES[family] for family in families)
        self.alignment_mode: AlignmentMode = alignment_mode
        self.catalogue = catalogue
        self._loaded: Catalogue | None = None
        self._saved: bytes | None = None  # the catalogue read from a saved pipeline

    def __call__(self, doc: Doc) -> Doc:
        state = _analysed(doc)
        if self.catalogue is not None and FAMILIES["targets"] in self.families:
            self._retarget(doc, state)
        keys = {family.spans_key for family in self.families}
        unaligned = [r for r in _unaligned(doc) if r["spans_key"] not in keys]
        for family in self.families:
            doc.spans[family.spans_key], missed = _spans(doc, state, family, self.alignment_mode)
            unaligned.extend(missed)
        doc.user_data[_UNALIGNED] = unaligned
        return doc

    def _retarget(self, doc: Doc, state: _State) -> None:
        """Targets again, with the custom catalogue (the shared parse used the bundled one)."""
        document = state.document
        if document is None or state.normalized is None:
            return
        context = Context(state.normalized, document.sections, document.metadata)
        targets = find_targets(context, catalogue=self._catalogue()).items
        state.document = document.model_copy(update={"targets": targets})
        _store(doc, state)

    def _catalogue(self) -> Catalogue:
        if self._loaded is None:
            self._loaded = load_catalogue(self.catalogue)
        return self._loaded

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        if self.catalogue is None:
            return
        self._catalogue()  # a missing or bad file fails here, with its name
        source = self._saved if self._saved is not None else Path(self.catalogue).read_bytes()
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / _CATALOGUE_FILE).write_bytes(source)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "KehoachComponent":
        # Read now: the saved pipeline may be a temporary directory, gone by the first call.
        saved = Path(path) / _CATALOGUE_FILE
        if saved.is_file():
            self._saved = saved.read_bytes()
            self._loaded = load_catalogue(saved)
        return self


@Language.factory("kehoach", assigns=[*_ASSIGNS, *(f"span._.{f.attr}" for f in FAMILIES.values())],
                  default_config={"alignment_mode": "expand", "catalogue": None})
def make_kehoach(nlp: Language, name: str, alignment_mode: AlignmentMode,
                 catalogue: str | None) -> KehoachComponent:
    """Every family: sections, citations, targets and agencies."""
    return KehoachComponent(name, FAMILIES, alignment_mode=alignment_mode, catalogue=catalogue)


@Language.factory("kehoach_sections", assigns=[*_ASSIGNS, "span._.section"],
                  default_config={"alignment_mode": "expand"})
def make_sections(nlp: Language, name: str, alignment_mode: AlignmentMode) -> KehoachComponent:
    """Phần, mục (sections) → ``doc.spans["kehoach_sections"]``."""
    return KehoachComponent(name, ["sections"], alignment_mode=alignment_mode)


@Language.factory("kehoach_citations", assigns=[*_ASSIGNS, "span._.citation"],
                  default_config={"alignment_mode": "expand"})
def make_citations(nlp: Language, name: str, alignment_mode: AlignmentMode) -> KehoachComponent:
    """Văn bản viện dẫn (citations) → ``doc.spans["kehoach_citations"]``."""
    return KehoachComponent(name, ["citations"], alignment_mode=alignment_mode)


@Language.factory("kehoach_targets", assigns=[*_ASSIGNS, "span._.target"],
                  default_config={"alignment_mode": "expand", "catalogue": None})
def make_targets(nlp: Language, name: str, alignment_mode: AlignmentMode,
                 catalogue: str | None) -> KehoachComponent:
    """Chỉ tiêu (targets) → ``doc.spans["kehoach_targets"]``."""
    return KehoachComponent(name, ["targets"], alignment_mode=alignment_mode,
                            catalogue=catalogue)


@Language.factory("kehoach_agencies", assigns=[*_ASSIGNS, "span._.agency"],
                  default_config={"alignment_mode": "expand"})
def make_agencies(nlp: Language, name: str, alignment_mode: AlignmentMode) -> KehoachComponent:
    """Cơ quan thực hiện (agencies) → ``doc.spans["kehoach_agencies"]``."""
    return KehoachComponent(name, ["agencies"], alignment_mode=alignment_mode)


_register_extensions()

"""spaCy components: the span groups and extensions hold exactly what ``parse_text`` finds, on
blank "xx" and "vi" pipelines, through bytes, pickling, two processes and ``to_disk``.

spaCy is an optional extra; CI installs it (``.[dev,spacy]``), so this module imports it
unguarded: a CI without it fails here instead of skipping the integration silently.
"""

from __future__ import annotations

import doctest
import pickle
import shutil
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest
import spacy
from confection import ConfigValidationError
from spacy.language import Language
from spacy.tokens import Doc, Span

from conftest import CASES, corpus_texts
from kehoach_parser import parse_text, spacy_components
from kehoach_parser.context import Context
from kehoach_parser.errors import FileMissingError
from kehoach_parser.indicators import load_catalogue
from kehoach_parser.models import PlanDocument
from kehoach_parser.normalize import normalize
from kehoach_parser.pipeline import Analysis, analyze_text
from kehoach_parser.sections import walk
from kehoach_parser.targets import find_targets

FACTORIES = {
    "kehoach": spacy_components.make_kehoach,
    "kehoach_sections": spacy_components.make_sections,
    "kehoach_citations": spacy_components.make_citations,
    "kehoach_targets": spacy_components.make_targets,
    "kehoach_agencies": spacy_components.make_agencies,
}
KEYS = ("kehoach_sections", "kehoach_citations", "kehoach_targets", "kehoach_agencies")
ATTRS = {"kehoach_sections": "section", "kehoach_citations": "citation",
         "kehoach_targets": "target", "kehoach_agencies": "agency"}
CATALOGUE = CASES / "spacy_catalogue.toml"
STEMS = [path.stem for path in corpus_texts()]

Expected = tuple[Any, str, tuple[int, int]]  # (item, label, span in the normalized text)


def expected_spans(document: PlanDocument) -> dict[str, list[Expected]]:
    """What each span group must hold, in order, written out from the contract."""
    return {
        "kehoach_sections": [(s, "+".join(s.kinds) or "section", s.span)
                             for s in walk(document.sections)],
        "kehoach_citations": [(c, c.doc_type or "citation", m.span)
                              for c in document.citations for m in c.mentions],
        "kehoach_targets": [(t, t.comparator, t.span) for t in document.targets],
        "kehoach_agencies": [(a, a.level or "agency", a.span) for a in document.agencies],
    }


def summary(doc: Doc) -> dict[str, list[tuple[Any, ...]]]:
    """Everything the components put on ``doc``, comparable across Docs."""
    return {key: [(s.start_char, s.end_char, s.label_, s.id_, getattr(s._, ATTRS[key]))
                  for s in doc.spans[key]] for key in KEYS}


def blank(lang: str, *names: str, **config: Any) -> Language:
    nlp = spacy.blank(lang)
    for name in names or ("kehoach",):
        nlp.add_pipe(name, config=config)
    return nlp


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in corpus_texts()}


@pytest.fixture(scope="module")
def analyses(texts: dict[str, str]) -> dict[str, Analysis]:
    return {stem: analyze_text(text) for stem, text in texts.items()}


@pytest.fixture(scope="module")
def full_stem(texts: dict[str, str], analyses: dict[str, Analysis]) -> str:
    """The shortest corpus document with items in every family."""
    full = [stem for stem, a in analyses.items()
            if all(expected_spans(a.document).values())]
    assert full, "no corpus document has sections, citations, targets and agencies"
    return min(full, key=lambda stem: len(texts[stem]))


@pytest.fixture(scope="module", params=["xx", "vi"])
def lang_docs(request: pytest.FixtureRequest,
              texts: dict[str, str]) -> Iterator[tuple[str, dict[str, Doc]]]:
    nlp = blank(request.param)
    yield request.param, dict(zip(texts, nlp.pipe(texts.values()), strict=True))


def test_doctests() -> None:
    assert doctest.testmod(spacy_components).failed == 0


@pytest.mark.parametrize("name", FACTORIES)
def test_factory_is_registered_on_import(name: str) -> None:
    meta = Language.get_factory_meta(name)
    assert meta.factory == name
    assert "doc._.kehoach" in meta.assigns
    assert name in blank("xx", name).pipe_names


def test_factories_are_spacy_entry_points() -> None:
    """Needs the ``[project.entry-points.spacy_factories]`` table of pyproject.toml installed."""
    declared = {ep.name: ep for ep in entry_points(group="spacy_factories")
                if ep.value.startswith("kehoach_parser.")}
    assert set(declared) == set(FACTORIES)
    for name, entry_point in declared.items():
        assert entry_point.load() is FACTORIES[name]


@pytest.mark.parametrize("stem", STEMS)
def test_spans_equal_parse_text(stem: str, lang_docs: tuple[str, dict[str, Doc]],
                                texts: dict[str, str], analyses: dict[str, Analysis]) -> None:
    lang, docs = lang_docs
    doc, analysis = docs[stem], analyses[stem]
    assert doc.text == texts[stem]
    assert doc._.kehoach == parse_text(texts[stem])
    assert doc._.kehoach_unaligned == []
    for key, expected in expected_spans(analysis.document).items():
        spans = list(doc.spans[key])
        assert len(spans) == len(expected), key
        for span, (item, label, offsets) in zip(spans, expected, strict=True):
            start, end = analysis.normalized.to_raw_span(offsets)
            assert getattr(span._, ATTRS[key]) == item
            assert span.label_ == label
            if lang == "xx":  # its tokens end at every boundary the parser uses
                assert (span.start_char, span.end_char) == (start, end), key
            else:  # "expand": the fewest tokens that cover the characters
                assert span.start_char <= start < span[0].idx + len(span[0]), key
                assert span[-1].idx < end <= span.end_char, key


def test_parse_runs_once_per_doc(monkeypatch: pytest.MonkeyPatch, texts: dict[str, str],
                                 full_stem: str) -> None:
    calls: list[str] = []

    def counted(text: str) -> Analysis:
        calls.append(text)
        return analyze_text(text)

    monkeypatch.setattr(spacy_components, "analyze_text", counted)
    separate = blank("xx", *KEYS)(texts[full_stem])
    assert len(calls) == 1
    assert summary(separate) == summary(blank("xx")(texts[full_stem]))


def test_unaligned_spans_are_recorded_not_dropped(texts: dict[str, str],
                                                  analyses: dict[str, Analysis],
                                                  full_stem: str) -> None:
    text, analysis = texts[full_stem], analyses[full_stem]
    records = [{"spans_key": key, "index": index, "start": start, "end": end}
               for key, expected in expected_spans(analysis.document).items()
               for index, (start, end) in _indexed_raw_spans(expected, analysis)]
    assert all((r["start"], r["end"]) != (0, len(text)) for r in records)
    contract = blank("xx", alignment_mode="contract")
    # One token holding the whole text: no item can be contracted onto tokens.
    doc = contract.get_pipe("kehoach")(Doc(contract.vocab, words=[text], spaces=[False]))
    assert doc._.kehoach_unaligned == records
    assert all(len(doc.spans[key]) == 0 for key in KEYS)
    assert contract.get_pipe("kehoach")(doc)._.kehoach_unaligned == records  # replaced, not added

    expand = blank("xx")
    doc = expand.get_pipe("kehoach")(Doc(expand.vocab, words=[text], spaces=[False]))
    assert doc._.kehoach_unaligned == []
    assert sum(len(doc.spans[key]) for key in KEYS) == len(records)


def _indexed_raw_spans(expected: list[Expected],
                       analysis: Analysis) -> Iterator[tuple[int, tuple[int, int]]]:
    """(index of the item, raw span) of each expected span; mentions share their index."""
    index = -1
    previous = None
    for item, _, offsets in expected:
        if item is not previous:
            index, previous = index + 1, item
        yield index, analysis.normalized.to_raw_span(offsets)


@pytest.mark.parametrize("text", ["", " \n\t  "])
def test_blank_text_has_no_document(text: str) -> None:
    doc = blank("xx")(text)
    assert doc._.kehoach is None
    assert doc._.kehoach_analysis is None
    assert all(len(doc.spans[key]) == 0 for key in KEYS)


def test_extensions_of_other_spans_are_none(texts: dict[str, str], full_stem: str) -> None:
    doc = blank("xx")(texts[full_stem])
    citation = doc.spans["kehoach_citations"][0]
    assert citation._.citation is not None
    assert citation._.target is None and citation._.section is None
    assert Span(doc, 0, 2)._.citation is None
    assert Span(doc, 0, 2, span_id="targets:x")._.target is None
    assert Span(doc, 0, 2, span_id="targets:999999")._.target is None


def test_doc_survives_bytes_and_pickle(texts: dict[str, str], full_stem: str) -> None:
    nlp = blank("xx")
    doc = nlp(texts[full_stem])
    assert isinstance(doc._.kehoach_analysis, Analysis)
    for copy in (Doc(nlp.vocab).from_bytes(doc.to_bytes()), pickle.loads(pickle.dumps(doc))):
        assert copy._.kehoach == doc._.kehoach
        assert copy._.kehoach_analysis is None  # the offset map stays behind
        assert summary(copy) == summary(doc)
        again = nlp.get_pipe("kehoach")(copy)  # a component on a restored Doc maps again
        assert isinstance(again._.kehoach_analysis, Analysis)
        assert summary(again) == summary(doc)


def test_pipe_with_two_processes(texts: dict[str, str]) -> None:
    small = sorted(texts.values(), key=len)[:2]
    nlp = blank("xx")
    docs = list(nlp.pipe(small, n_process=2))
    assert [doc._.kehoach for doc in docs] == [parse_text(text) for text in small]
    assert [summary(doc) for doc in docs] == [summary(nlp(text)) for text in small]


def test_catalogue_config_maps_targets(texts: dict[str, str], full_stem: str) -> None:
    text = texts[full_stem]
    doc = _with_catalogue(str(CATALOGUE))(text)
    plain = parse_text(text)
    expected = find_targets(Context(normalize(text), plain.sections, plain.metadata),
                            catalogue=load_catalogue(CATALOGUE)).items
    assert "workers_reached_pct" in {target.indicator for target in expected}
    assert doc._.kehoach.targets == expected
    assert [span._.target for span in doc.spans["kehoach_targets"]] == expected
    assert doc._.kehoach.citations == plain.citations


def _with_catalogue(catalogue: str) -> Language:
    nlp = blank("xx", "kehoach_sections", "kehoach_citations", alignment_mode="strict")
    nlp.add_pipe("kehoach_targets", config={"catalogue": catalogue})
    nlp.add_pipe("kehoach_agencies", config={"alignment_mode": "contract"})
    return nlp


def test_to_disk_and_load_round_trip(tmp_path: Path, texts: dict[str, str],
                                     full_stem: str) -> None:
    catalogue = tmp_path / "catalogue.toml"
    shutil.copyfile(CATALOGUE, catalogue)
    nlp = _with_catalogue(str(catalogue))
    text = texts[full_stem]
    expected = summary(nlp(text))
    nlp.to_disk(tmp_path / "pipeline")
    catalogue.unlink()  # the saved pipeline carries its own copy

    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == nlp.pipe_names
    for name in nlp.pipe_names:
        assert loaded.get_pipe_config(name) == nlp.get_pipe_config(name)
    doc = loaded(text)
    assert summary(doc) == expected
    assert "workers_reached_pct" in {target.indicator for target in doc._.kehoach.targets}


def test_missing_catalogue_is_named(tmp_path: Path, texts: dict[str, str],
                                    full_stem: str) -> None:
    nlp = blank("xx", "kehoach_targets", catalogue=str(tmp_path / "absent.toml"))  # read lazily
    with pytest.raises(FileMissingError, match=r"absent\.toml"):
        nlp(texts[full_stem])
    with pytest.raises(FileMissingError, match=r"absent\.toml"):
        nlp.to_disk(tmp_path / "pipeline")


def test_bad_alignment_mode_is_a_config_error() -> None:
    with pytest.raises(ConfigValidationError, match="alignment_mode"):
        blank("xx", alignment_mode="nearest")

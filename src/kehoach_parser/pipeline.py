"""Phân tích văn bản (parsing): loaders → normalize → sections → metadata → extractors."""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from ._version import __version__
from .agencies import find_agencies
from .citations import find_citations
from .context import Context
from .errors import EmptyInputError, KehoachError
from .layout import Layout
from .loaders import Loaded, LoadOptions, check_length, load_file, replace_surrogates
from .metadata import read_metadata
from .models import PlanDocument, Source, SourceFormat
from .normalize import normalize
from .sections import split_sections
from .targets import find_targets


def page_of(document: PlanDocument, offset: int) -> int | None:
    """Số trang (page number, 1-based) of an offset of ``document.text``; None without pages."""
    starts = document.source.page_starts
    return bisect_right(starts, offset) if starts else None


@dataclass(frozen=True)
class Analysis:
    """A parsed document together with its normalization (for mapping spans to the raw
    input: ``normalized.to_raw_span(item.span)``)."""

    document: PlanDocument
    normalized: Layout


def _parse(loaded: Loaded, path: str | None) -> PlanDocument:
    return _analyze(loaded, path).document


def _analyze(loaded: Loaded, path: str | None) -> Analysis:
    norm = normalize(loaded.raw, loaded.page_starts or None)
    if not norm.text.strip():
        raise EmptyInputError("no text after normalization", path=path)
    sections = split_sections(norm)
    metadata, warnings = read_metadata(norm, sections)
    context = Context(norm, sections, metadata)
    targets, agencies, citations = (find_targets(context), find_agencies(context),
                                    find_citations(context))
    text = norm.text
    document = PlanDocument(
        parser_version=__version__,
        source=Source(
            path=path,
            format=loaded.format,
            sha256=loaded.sha256,
            pages=loaded.pages,
            encoding=loaded.encoding,
            page_starts=norm.page_starts(),
        ),
        text=text,
        metadata=metadata,
        sections=sections,
        targets=targets.items,
        agencies=agencies.items,
        citations=citations.items,
        warnings=[*loaded.warnings, *norm.warnings, *warnings, *targets.warnings,
                  *agencies.warnings, *citations.warnings],
    )
    return Analysis(document, norm)


def analyze_text(text: str, *, source: str | Path | None = None,
                 format: SourceFormat = "text", options: LoadOptions | None = None) -> Analysis:
    """Like :func:`parse_text`, and keep the normalization (offset map to ``text``)."""
    if not isinstance(text, str):
        raise KehoachError(f"parse_text needs a str, not {type(text).__name__}")
    name = None if source is None else str(source)
    if not text.strip():
        raise EmptyInputError("no text (empty or only whitespace)", path=name)
    check_length(text, options or LoadOptions(), path=name)
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    raw, warnings = replace_surrogates(text)
    return _analyze(Loaded(raw=raw, format=format, sha256=digest, warnings=warnings), name)


def parse_text(text: str, *, source: str | Path | None = None,
               format: SourceFormat = "text", options: LoadOptions | None = None
               ) -> PlanDocument:
    """Phân tích một chuỗi (parse a string) into a :class:`PlanDocument`.

    ``source`` is recorded as ``source.path`` (it is not read); ``options.max_chars`` bounds
    the length (a typed :class:`LimitExceededError` beyond it).

    >>> doc = parse_text("KẾ HOẠCH\\nPhòng, chống mại dâm năm 2024\\n"
    ...                  "I. MỤC ĐÍCH, YÊU CẦU\\n- Tăng cường")
    >>> doc.metadata.doc_type, doc.metadata.plan_year, doc.sections[0].kinds
    ('KH', 2024, ['purpose', 'requirements'])
    """
    return analyze_text(text, source=source, format=format, options=options).document


def parse_file(path: str | Path, *, options: LoadOptions | None = None) -> PlanDocument:
    """Phân tích một tệp (parse a file): .txt, .md (and .pdf, .docx, .doc where supported)."""
    return _parse(load_file(path, options), str(path))

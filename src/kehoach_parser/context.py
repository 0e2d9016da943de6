"""Ngữ cảnh trích xuất (the extractors' context): what every extractor reads, and returns.

Every extractor (``find_citations``, ``find_targets``, ``find_agencies``) takes one
:class:`Context` — the layout (normalized text, typed lines, zones), the section tree and
the metadata — and returns a :class:`Found`: its items, each with its span into
``context.text``, and its warnings.

>>> ctx = context_of("KẾ HOẠCH\\nPhòng, chống thiên tai năm 2026\\nI. MỤC TIÊU\\n- Đạt 90% hộ dân")
>>> ctx.metadata.doc_type, [s.title for s in ctx.sections]
('KH', ['MỤC TIÊU'])
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, TypeVar

from .layout import Layout
from .layout.model import ZoneKind
from .models import Metadata, Section
from .sections import Locator

T = TypeVar("T")

# Zones where the document says what it does (not the header, the closing, a site's chrome).
CONTENT: tuple[ZoneKind, ...] = ("title", "body", "appendix", "attached")


@dataclass
class Found(Generic[T]):
    """What an extractor found: items with their spans, and its doubts."""

    items: list[T] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Context:
    """The layout, section tree and metadata of one document."""

    layout: Layout
    sections: list[Section]
    metadata: Metadata

    @property
    def text(self) -> str:
        return self.layout.text

    @cached_property
    def locator(self) -> Locator:
        return Locator(self.sections)

    def visible(self, zones: Iterable[ZoneKind] = CONTENT) -> str:
        """The text with every line outside ``zones`` blanked (same length, so offsets hold)."""
        keep = set(zones)
        text = self.text
        parts: list[str] = []
        pos = 0
        for line in self.layout.lines:
            if line.zone in keep:
                continue
            parts.append(text[pos : line.start])
            parts.append(" " * (line.end - line.start))
            pos = line.end
        parts.append(text[pos:])
        return "".join(parts)


def context_of(text: str, *, metadata: Metadata | None = None) -> Context:
    """The context of a string (normalized, split, read; or with the ``metadata`` given):
    for tests, notebooks and callers that hold a bare text."""
    from .metadata import read_metadata
    from .normalize import normalize
    from .sections import split_sections

    layout = normalize(text)
    sections = split_sections(layout)
    if metadata is None:
        metadata, _ = read_metadata(layout, sections)
    return Context(layout, sections, metadata)

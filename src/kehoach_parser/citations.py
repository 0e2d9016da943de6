"""Placeholder until the citations issue lands (replaced wholesale by that work)."""

from __future__ import annotations

from .models import Citation, Metadata, Section


def find_citations(text: str, sections: list[Section], metadata: Metadata) -> list[Citation]:
    return []

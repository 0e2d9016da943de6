"""Placeholder until the agencies issue lands (replaced wholesale by that work)."""

from __future__ import annotations

from .models import Agency, Metadata, Section


def find_agencies(text: str, sections: list[Section], metadata: Metadata) -> list[Agency]:
    return []

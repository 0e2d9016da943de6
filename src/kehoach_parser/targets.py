"""Placeholder until the targets issue lands (replaced wholesale by that work)."""

from __future__ import annotations

from .models import Metadata, Section, Target


def find_targets(text: str, sections: list[Section], metadata: Metadata) -> list[Target]:
    return []

"""Helpers for the batch, store and comparison tests.

Plans built by hand from ``tests/cases/compare.toml`` (so the comparison is tested without
depending on the target extractor), and parse functions that misbehave on purpose, in a
module of their own so that the batch's spawned workers import them cheaply.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kehoach_parser import parse_file
from kehoach_parser.models import (
    Agency,
    Citation,
    DateParts,
    Locality,
    Mention,
    Metadata,
    PlanDocument,
    Section,
    Source,
    Target,
)

HANG, CRASH = "TREO", "SẬP"  # markers in a test file's text
# How long a hung parse sleeps unless KEHOACH_TEST_HANG says: longer than any time limit a
# test sets, so that a batch returning sooner shows that the hang was cut.
HANG_SECONDS = 300.0


def build_plan(entry: dict[str, Any]) -> PlanDocument:
    """A PlanDocument from a ``[[plans]]`` entry: metadata and targets; one section, agency
    and citation so that every store table gets rows."""
    text = "\n".join(t["text"] for t in entry["targets"]) or "KẾ HOẠCH"
    targets, offset = [], 0
    for target in entry["targets"]:
        span = (offset, offset + len(target["text"]))
        offset = span[1] + 1
        targets.append(Target(
            text=target["text"], value=target["value"], value_max=target.get("value_max"),
            unit=target["unit"], period=target.get("period"), comparator=target["comparator"],
            subject=target["text"], indicator=target.get("indicator"), section_path="I",
            span=span, mentions=[Mention(span=span, raw=target["text"])],
        ))
    whole = (0, len(text))
    return PlanDocument(
        parser_version="test",
        source=Source(path=entry["name"], format="text", sha256="0" * 64),
        text=text,
        metadata=Metadata(
            doc_type="KH", issuer=f"Ủy ban nhân dân {entry['locality']}",
            date=DateParts(**dict(zip(("year", "month", "day"), entry.get("date", []),
                                      strict=False))),
            plan_year=entry.get("plan_year"), title="Phòng, chống mại dâm",
            locality=Locality(name=entry["locality"], level=entry["level"],
                              parent=entry.get("parent")),
        ),
        sections=[Section(number="I", path="I", level=1, title="MỤC TIÊU", kinds=["targets"],
                          span=whole, heading_span=(0, 0))],
        targets=targets,
        agencies=[Agency(name="Công an tỉnh", canonical="Công an", level="province",
                         tasks=["Kiểm tra"], section_path="I", span=(0, 0))],
        citations=[Citation(doc_type="QĐ", number="1629", year=2021, symbol="QĐ-TTg",
                            identifier="1629/QĐ-TTg", relation="basis",
                            mentions=[Mention(span=(0, 0), raw="")])],
    )


def misbehaving_parse(path: Path) -> PlanDocument:
    """``parse_file``, except that a file holding HANG sleeps (for the time limit) and one
    holding CRASH kills its process (for a worker that dies)."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if HANG in text:
        time.sleep(float(os.environ.get("KEHOACH_TEST_HANG", HANG_SECONDS)))
    if CRASH in text:
        os._exit(3)
    return parse_file(path)


def write_outputs(folder: Path, plans: Iterable[PlanDocument]) -> Path:
    """Each plan's JSON output in ``folder``, named by its source path as batch names it."""
    from kehoach_parser.cli import write_atomic  # not at import: the workers import this module

    for plan in plans:
        assert plan.source.path
        write_atomic(folder / f"{plan.source.path}.json", plan.model_dump_json())
    return folder

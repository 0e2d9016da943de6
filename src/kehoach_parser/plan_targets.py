"""Chỉ tiêu của các kế hoạch (the targets of many plans), read for comparison.

``read_targets(source)`` gives every target of the plans of ``source`` — PlanDocument
objects, a folder of JSON outputs, a batch output folder (its ``plans.duckdb``), a store
file, or an open :class:`~kehoach_parser.store.Store` — as one mapping each: the columns of
the store's ``targets`` table, the document's ``title`` and its date of issue
(``issued_year``, ``issued_month``, ``issued_day``). With a ``catalogue`` (a TOML file) each
target's ``indicator`` is that catalogue's, matched again on its subject and clause, for the
documents the catalogue covers; without one it is the bundled catalogue's, as parsed.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import SkippedFileWarning, printable
from .models import PlanDocument
from .store import STORE_NAME, TABLES, Store, document_rows

Record = dict[str, Any]
_TARGET_COLUMNS = [name for name, _ in TABLES["targets"]]
_DOCUMENT_COLUMNS = [name for name, _ in TABLES["documents"]]
_ISSUED = {"year": "issued_year", "month": "issued_month", "day": "issued_day", "title": "title"}


def _records_of(document: PlanDocument, name: str) -> Iterator[Record]:
    rows = document_rows(document, name, f"{name}.json")
    issued = dict(zip(_DOCUMENT_COLUMNS, rows["documents"][0], strict=True))
    extra = {mine: issued[theirs] for theirs, mine in _ISSUED.items()}
    for row in rows["targets"]:
        yield dict(zip(_TARGET_COLUMNS, row, strict=True)) | extra


def _from_documents(documents: Iterable[PlanDocument]) -> Iterator[Record]:
    for number, document in enumerate(documents):
        yield from _records_of(document, document.source.path or f"document {number + 1}")


def _from_folder(folder: Path) -> Iterator[Record]:
    """The outputs of a folder; a JSON file that is not one (another tool's, a damaged
    copy) is left out with a :class:`~kehoach_parser.errors.SkippedFileWarning`."""
    for path in sorted(folder.rglob("*.json")):
        try:
            document = PlanDocument.model_validate_json(path.read_bytes())
        except (OSError, ValidationError) as exc:
            problem = (_schema_problem(exc) if isinstance(exc, ValidationError)
                       else exc.strerror or type(exc).__name__)
            warnings.warn(f"{printable(str(path))}: not a kehoach output, left out: {problem}",
                          SkippedFileWarning, stacklevel=2)
            continue
        yield from _records_of(document, path.relative_to(folder).as_posix()[: -len(".json")])


def _schema_problem(exc: ValidationError) -> str:
    first = exc.errors()[0]
    if first["type"] == "json_invalid":
        return f"not JSON ({first['msg'].removeprefix('Invalid JSON: ')})"
    where = ".".join(str(part) for part in first["loc"])
    count = exc.error_count()
    return (f"{count} field{'s' if count > 1 else ''} not as the schema says (first: "
            f"{where}: {first['msg']})")


def _from_store(store: Store) -> Iterator[Record]:
    columns, chunks = store.stream(
        "SELECT t.*, d.title, d.year AS issued_year, d.month AS issued_month, "
        "d.day AS issued_day FROM targets t JOIN documents d USING (document) "
        "ORDER BY t.document, t.span_start", size=10_000)
    for chunk in chunks:
        for row in chunk:
            yield dict(zip(columns, row, strict=True))


def _all(source: Iterable[PlanDocument] | Store | str | Path) -> list[Record]:
    if isinstance(source, Store):
        return list(_from_store(source))
    if isinstance(source, str | Path):
        path = Path(source)
        if path.is_dir() and not (path / STORE_NAME).exists():
            return list(_from_folder(path))
        with Store(path / STORE_NAME if path.is_dir() else path, read_only=True) as store:
            return list(_from_store(store))
    return list(_from_documents(source))


def read_targets(source: Iterable[PlanDocument] | Store | str | Path, *,
                 catalogue: str | Path | None = None) -> list[Record]:
    """Đọc chỉ tiêu (read the targets) of every plan of ``source``, in document order; with
    ``catalogue``, mapped to its indicators (see the module's docstring)."""
    records = _all(source)
    if catalogue is None:
        return records
    from .indicators import load_catalogue
    from .measures import target_year

    chosen = load_catalogue(catalogue)
    covered: dict[str, bool] = {}
    for record in records:
        title = record["title"] or ""
        if title not in covered:
            covered[title] = chosen.covers(title)
        record["indicator"] = chosen.match(
            record["subject"] or "", record["text"] or "", unit=record["unit"],
            comparator=record["comparator"], period=record["period"],
            year=target_year(record)) if covered[title] else None
    return records

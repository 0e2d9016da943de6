"""Kho dữ liệu (embedded store): parsed documents as DuckDB tables for SQL.

One row per item, keyed by ``document`` (the input's path relative to the batch folder) and
carrying the locality of its plan (``locality``, ``level``, ``parent``, ``plan_year``) so
that a query never needs a join to group by place or year:

- ``documents``: one row per parsed file (metadata, counts, sha256, parser version);
- ``sections``, ``targets`` (with ``indicator``, and ``target_year``: the year a target is
  for, when the schema has it), ``agencies``, ``citations``.

The text itself is not stored (it is in the JSON output, ``json_path``). Rows are built by
:func:`document_rows` in the process that parsed the file, so only small tuples travel back
to the one process that writes the store; :meth:`Store.replace` swaps a document's rows in
one transaction, so a killed batch leaves the store at its last commit.

A store opened ``read_only`` (by ``kehoach query`` and ``compare``) reads its own tables and
nothing else: DuckDB's external access is off and its configuration locked (no file, no
network, no extension, no ``SET``, no ``ATTACH``), and one ``SELECT`` (or ``EXPLAIN``) runs
at a time; anything else is a :class:`~kehoach_parser.errors.QueryRefusedError`. To do more,
open the file with ``duckdb`` itself. Failures of the file are typed too: another process
holding it or a full or read-only disk is an :class:`~kehoach_parser.errors.OutputError`, a
damaged file a :class:`~kehoach_parser.errors.CorruptStoreError`.

>>> from kehoach_parser import parse_text
>>> doc = parse_text("KẾ HOẠCH\\nPhòng, chống mại dâm năm 2024\\nI. MỤC TIÊU\\n- Tăng cường")
>>> with Store(":memory:") as store:
...     store.replace({"a.txt": document_rows(doc, "a.txt", "a.txt.json")})
...     store.query("SELECT document, plan_year, n_sections FROM documents").rows
[('a.txt', 2024, 1)]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .errors import CorruptStoreError, DiskFullError, OutputError, QueryRefusedError
from .models import PlanDocument, Section
from .sections import walk

if TYPE_CHECKING:
    import duckdb

STORE_NAME = "plans.duckdb"
MEMORY_LIMIT = "256MB"  # DuckDB's own cache; queries larger than that spill to disk
# Bump when a table changes shape: an older store is then rebuilt (and its files re-parsed).
# 2: targets.target_year (the year a target is for, schema 1.1; null before).
STORE_VERSION = 2

# The locality columns every item table starts with, after ``document``.
_PLACE = [("locality", "VARCHAR"), ("level", "VARCHAR"), ("parent", "VARCHAR"),
          ("plan_year", "INTEGER")]

TABLES: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("document", "VARCHAR"), ("json_path", "VARCHAR"), ("sha256", "VARCHAR"),
        ("parser_version", "VARCHAR"), ("format", "VARCHAR"), ("pages", "INTEGER"),
        ("chars", "INTEGER"), *_PLACE, ("doc_type", "VARCHAR"), ("number", "VARCHAR"),
        ("symbol", "VARCHAR"), ("identifier", "VARCHAR"), ("issuer", "VARCHAR"),
        ("place", "VARCHAR"), ("year", "INTEGER"), ("month", "INTEGER"), ("day", "INTEGER"),
        ("title", "VARCHAR"), ("signer", "VARCHAR"), ("signer_position", "VARCHAR"),
        ("n_sections", "INTEGER"), ("n_targets", "INTEGER"), ("n_agencies", "INTEGER"),
        ("n_citations", "INTEGER"), ("warnings", "VARCHAR[]"), ("loaded_at", "TIMESTAMP"),
    ],
    "sections": [
        ("document", "VARCHAR"), *_PLACE, ("path", "VARCHAR"), ("number", "VARCHAR"),
        ("depth", "INTEGER"), ("title", "VARCHAR"), ("kinds", "VARCHAR[]"),
        ("span_start", "INTEGER"), ("span_end", "INTEGER"),
    ],
    "targets": [
        ("document", "VARCHAR"), *_PLACE, ("indicator", "VARCHAR"), ("value", "DOUBLE"),
        ("value_max", "DOUBLE"), ("unit", "VARCHAR"), ("period", "VARCHAR"),
        ("comparator", "VARCHAR"), ("subject", "VARCHAR"), ("scope", "VARCHAR"),
        ("section_path", "VARCHAR"), ("text", "VARCHAR"), ("span_start", "INTEGER"),
        ("span_end", "INTEGER"), ("target_year", "INTEGER"),
    ],
    "agencies": [
        ("document", "VARCHAR"), *_PLACE, ("name", "VARCHAR"), ("canonical", "VARCHAR"),
        ("agency_level", "VARCHAR"), ("requested", "BOOLEAN"), ("tasks", "VARCHAR[]"),
        ("leads", "VARCHAR[]"), ("coordinates_with", "VARCHAR[]"), ("successor", "VARCHAR"),
        ("section_path", "VARCHAR"), ("span_start", "INTEGER"), ("span_end", "INTEGER"),
    ],
    "citations": [
        ("document", "VARCHAR"), *_PLACE, ("doc_type", "VARCHAR"), ("number", "VARCHAR"),
        ("year", "INTEGER"), ("symbol", "VARCHAR"), ("identifier", "VARCHAR"),
        ("date", "VARCHAR"), ("issuer", "VARCHAR"), ("title", "VARCHAR"),
        ("relation", "VARCHAR"), ("mentions", "INTEGER"), ("span_start", "INTEGER"),
        ("span_end", "INTEGER"),
    ],
}

Row = tuple[Any, ...]
Rows = dict[str, list[Row]]

# What DuckDB says of a file it cannot use, by the problem (it gives no codes).
_HELD = ("Could not set lock", "Conflicting lock")
_FULL = ("No space left on device", "Disk quota exceeded")
_ONLY_TABLES = (f"a query reads the store's tables ({', '.join(TABLES)}) with one SELECT; "
                "open the store with duckdb itself for anything else")
_DAMAGED = ("not a valid DuckDB database file", "Corrupt database file",
            "Could not read enough bytes", "Serialization Error")


def _place(doc: PlanDocument) -> Row:
    locality = doc.metadata.locality
    return (locality.name, locality.level, locality.parent, doc.metadata.plan_year)


def _section_rows(name: str, place: Row, sections: list[Section]) -> list[Row]:
    return [(name, *place, s.path, s.number, s.level, s.title, list(s.kinds), *s.span)
            for s in walk(sections)]


def document_rows(doc: PlanDocument, name: str, json_path: str,
                  sha256: str | None = None) -> Rows:
    """Các dòng (rows) of every table for one document, in the column order of ``TABLES``.

    ``sha256`` is the digest of the input file (default: the one the parser recorded).
    """
    meta, place = doc.metadata, _place(doc)
    rows: Rows = {
        "documents": [(
            name, json_path, sha256 or doc.source.sha256, doc.parser_version, doc.source.format,
            doc.source.pages, len(doc.text), *place, meta.doc_type, meta.number, meta.symbol,
            meta.identifier, meta.issuer, meta.place, meta.date.year, meta.date.month,
            meta.date.day, meta.title, meta.signer.name, meta.signer.position,
            sum(1 for _ in walk(doc.sections)), len(doc.targets), len(doc.agencies),
            len(doc.citations), list(doc.warnings), datetime.now(UTC).replace(tzinfo=None),
        )],
        "sections": _section_rows(name, place, doc.sections),
        "targets": [
            (name, *place, t.indicator, t.value, t.value_max, t.unit, t.period, t.comparator,
             t.subject, t.scope, t.section_path, t.text, *t.span, getattr(t, "year", None))
            for t in doc.targets
        ],
        "agencies": [
            (name, *place, a.name, a.canonical, a.level, a.requested, list(a.tasks),
             list(a.leads), list(a.coordinates_with), a.successor, a.section_path, *a.span)
            for a in doc.agencies
        ],
        "citations": [
            (name, *place, c.doc_type, c.number, c.year, c.symbol, c.identifier, c.date,
             c.issuer, c.title, c.relation, len(c.mentions),
             *(c.mentions[0].span if c.mentions else (None, None)))
            for c in doc.citations
        ],
    }
    return rows


@dataclass(frozen=True)
class Result:
    """Kết quả truy vấn (a query result): column names and row tuples."""

    columns: list[str]
    rows: list[Row]


class Store:
    """Kho DuckDB (the DuckDB store) of a batch; a context manager.

    Open it ``read_only`` to query while nothing writes (its tables only, see the module
    notes); DuckDB lets one process write a file at a time.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import duckdb

        self.path, self.read_only = str(path), read_only
        if read_only and not Path(self.path).exists():
            raise FileNotFoundError(f"{self.path}: no store (run `kehoach batch` first)")
        # DuckDB caches up to 80% of the memory by default: a batch must stay flat.
        config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": MEMORY_LIMIT}
        if read_only:
            config |= {"enable_external_access": False, "autoinstall_known_extensions": False,
                       "autoload_known_extensions": False, "lock_configuration": True}
        try:
            self._con: duckdb.DuckDBPyConnection = duckdb.connect(
                self.path, read_only=read_only, config=config)
        except duckdb.Error as exc:
            raise self._problem(exc) from exc
        try:
            if not read_only:
                self._create()
                self._verify()
        except duckdb.Error as exc:
            self._con.close()
            raise self._problem(exc) from exc

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._con.close()

    def _problem(self, exc: Exception) -> OutputError:
        """The typed error for what DuckDB says about the file."""
        text = str(exc)
        if any(cue in text for cue in _HELD):
            return OutputError("the store is open in another process (a batch, a query, a "
                               f"notebook); close it and run again ({text})", path=self.path)
        if any(cue in text for cue in _FULL):
            return DiskFullError(f"no space left on the device of the store ({text})",
                                 path=self.path)
        if any(cue in text for cue in _DAMAGED):
            return CorruptStoreError(f"the store is damaged ({text})", path=self.path)
        return OutputError(f"the store cannot be used: {text}", path=self.path)

    def _create(self) -> None:
        con = self._con
        con.execute("CREATE TABLE IF NOT EXISTS kehoach_store (version INTEGER)")
        found = con.execute("SELECT max(version) FROM kehoach_store").fetchone()
        if found is not None and found[0] not in (None, STORE_VERSION):
            for table in TABLES:
                con.execute(f"DROP TABLE IF EXISTS {table}")
        for table, columns in TABLES.items():
            body = ", ".join(f"{column} {kind}" for column, kind in columns)
            con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({body})")
        con.execute("DELETE FROM kehoach_store")
        con.execute("INSERT INTO kehoach_store VALUES (?)", [STORE_VERSION])

    def _verify(self) -> None:
        # DuckDB checks a block's checksum when it reads it: read every row once, so that a
        # damaged file is found now rather than half-way through a batch.
        for table in TABLES:
            self._con.execute(f"SELECT count(hash(t)) FROM {table} t").fetchall()

    def known(self, documents: Sequence[str]) -> dict[str, tuple[str, str]]:
        """(sha256, parser_version) recorded for each of ``documents`` that is stored."""
        import duckdb

        if not documents:
            return {}
        try:
            found = self._con.execute(
                "SELECT document, sha256, parser_version FROM documents "
                "WHERE document IN (SELECT unnest(CAST(? AS VARCHAR[])))", [list(documents)],
            ).fetchall()
        except duckdb.Error as exc:
            raise self._problem(exc) from exc
        return {name: (sha, version) for name, sha, version in found}

    def replace(self, batch: Mapping[str, Rows | None]) -> None:
        """Swap the rows of each document of ``batch`` in one transaction; ``None`` removes."""
        import duckdb

        if not batch:
            return
        con, names = self._con, list(batch)
        try:
            con.begin()
            try:
                for table in TABLES:
                    con.execute(f"DELETE FROM {table} WHERE document IN "
                                "(SELECT unnest(CAST(? AS VARCHAR[])))", [names])
                    self._insert(table, [row for rows in batch.values() if rows
                                         for row in rows[table]])
                con.commit()
            except BaseException:
                with suppress(duckdb.Error):  # a failed rollback must not hide why
                    con.rollback()
                raise
        except duckdb.Error as exc:
            raise self._problem(exc) from exc

    def _insert(self, table: str, rows: list[Row]) -> None:
        # Through a DataFrame: ~100x faster than executemany, ~3x faster than list parameters.
        import pandas as pd

        if not rows:
            return
        self._con.register("incoming", pd.DataFrame(rows, columns=[c for c, _ in TABLES[table]]))
        try:
            self._con.execute(f"INSERT INTO {table} SELECT * FROM incoming")
        finally:
            self._con.unregister("incoming")

    def query(self, sql: str, parameters: Sequence[object] | None = None) -> Result:
        """Run one SQL statement; all its rows."""
        cursor = self._execute(sql, parameters)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        return Result(columns, cursor.fetchall())

    def stream(self, sql: str, size: int = 1000) -> tuple[list[str], Iterator[list[Row]]]:
        """Run one SQL statement; its columns and its rows in chunks of ``size``."""
        cursor = self._execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []

        def chunks() -> Iterator[list[Row]]:
            while chunk := cursor.fetchmany(size):
                yield chunk

        return columns, chunks()

    def _execute(self, sql: str, parameters: Sequence[object] | None = None
                 ) -> duckdb.DuckDBPyConnection:
        """Run ``sql``; on a read-only store one SELECT or EXPLAIN on its tables only, else
        a :class:`QueryRefusedError` in one line."""
        import duckdb

        if not self.read_only:
            return self._con.execute(sql, parameters)
        statements = duckdb.extract_statements(sql)  # a syntax error is DuckDB's to tell
        if len(statements) != 1:
            raise QueryRefusedError(f"one SQL statement at a time, not {len(statements)}")
        if statements[0].type not in (duckdb.StatementType.SELECT,
                                      duckdb.StatementType.EXPLAIN):
            verb = (statements[0].query.split() or [statements[0].type.name])[0].upper()
            raise QueryRefusedError(f"{verb} statements are not run: {_ONLY_TABLES}")
        try:
            return self._con.execute(sql, parameters)
        except duckdb.PermissionException as exc:  # a file, the network, an extension
            first = str(exc).splitlines()[0]
            raise QueryRefusedError(f"{first}: {_ONLY_TABLES}") from exc


def store_path(location: str | Path) -> Path:
    """The store file of a batch output folder (or ``location`` itself when it is a file)."""
    path = Path(location)
    return path / STORE_NAME if path.is_dir() else path


def load_documents(store: Store, documents: Iterable[tuple[str, str, PlanDocument]]) -> int:
    """Nạp (load) ``(name, json_path, document)`` into ``store``, replacing their rows (the
    input's sha256 is the one the parser recorded); a count."""
    count, pending = 0, {}
    for name, json_path, doc in documents:
        pending[name] = document_rows(doc, name, json_path)
        count += 1
        if len(pending) >= 256:
            store.replace(pending)
            pending = {}
    store.replace(pending)
    return count

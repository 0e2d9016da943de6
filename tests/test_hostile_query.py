"""``kehoach query`` reads the store's tables and nothing else: every escape to files, the
network, extensions or settings is refused with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from batch_support import build_plan
from conftest import load_cases
from kehoach_parser.cli import main
from kehoach_parser.errors import QueryRefusedError
from kehoach_parser.store import STORE_NAME, Store, document_rows

PLAN = build_plan(load_cases("compare.toml")["plans"][0])


@pytest.fixture
def out(tmp_path: Path) -> Path:
    with Store(tmp_path / STORE_NAME) as store:
        store.replace({"a.txt": document_rows(PLAN, "a.txt", "a.txt.json")})
    return tmp_path


# (SQL, what the one line of the refusal says). Files named here must stay untouched.
ESCAPES = [
    ("SELECT * FROM read_csv('/etc/passwd')", "file system operations are disabled"),
    ("SELECT * FROM glob('/root/**')", "file system operations are disabled"),
    ("SELECT * FROM read_text('/etc/hostname')", "file system operations are disabled"),
    ("SELECT * FROM '/etc/passwd'", "does not exist"),
    ("COPY documents TO '{out}/stolen.csv'", "COPY statements are not run"),
    ("EXPORT DATABASE '{out}/dump'", "EXPORT statements are not run"),
    ("SELECT 1; SELECT 2", "one SQL statement at a time, not 2"),
    ("SELECT 1; COPY documents TO '{out}/stolen.csv'", "one SQL statement at a time"),
    ("INSTALL httpfs", "INSTALL statements are not run"),
    ("LOAD httpfs", "LOAD statements are not run"),
    ("ATTACH '{out}/other.duckdb' AS other", "ATTACH statements are not run"),
    ("SET enable_external_access = true", "SET statements are not run"),
    ("RESET enable_external_access", "RESET statements are not run"),
    ("PRAGMA version", "PRAGMA statements are not run"),
    ("CALL pragma_version()", "CALL statements are not run"),
    ("CREATE TABLE x AS SELECT 1", "CREATE statements are not run"),
    ("DELETE FROM documents", "DELETE statements are not run"),
    ("CHECKPOINT", "CHECKPOINT statements are not run"),
    ("SELECT * FROM query('SELECT * FROM read_csv(''/etc/passwd'')')",
     "file system operations are disabled"),
]


@pytest.mark.parametrize(("sql", "said"), ESCAPES)
def test_an_escape_is_refused_in_one_line(out: Path, sql: str, said: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(out.iterdir())
    assert main(["query", str(out), sql.format(out=out), "--format", "csv"]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert captured.out == ""
    assert lines[0].startswith("error: ") and said in lines[0], lines
    assert len(lines) == 1 or "Catalog Error" in lines[0]  # DuckDB's own hint follows
    assert "Traceback" not in captured.err
    assert sorted(out.iterdir()) == before  # nothing written beside the store
    with Store(out / STORE_NAME, read_only=True) as store:  # and nothing changed in it
        assert store.query("SELECT count(*) FROM documents").rows == [(1,)]


def test_the_store_still_answers(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for sql in ("SELECT document FROM documents",
                "WITH d AS (SELECT * FROM documents) SELECT count(*) FROM d",
                "EXPLAIN SELECT * FROM targets", "DESCRIBE documents", "SHOW TABLES"):
        assert main(["query", str(out), sql, "--format", "csv"]) == 0, sql
    assert "a.txt" in capsys.readouterr().out


def test_the_refusal_is_typed_in_the_python_api(out: Path) -> None:
    with Store(out / STORE_NAME, read_only=True) as store, \
            pytest.raises(QueryRefusedError, match="open the store with duckdb"):
        store.query("COPY documents TO 'x.csv'")
    with Store(out / STORE_NAME) as store:  # a batch's own connection is not restricted
        assert store.query("SELECT 1; SELECT 2").rows == [(2,)]

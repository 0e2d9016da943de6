"""The DuckDB store: rows per item, replacement, example queries and ``kehoach query``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest

from batch_support import build_plan
from conftest import load_cases
from kehoach_parser.cli import main
from kehoach_parser.data import load
from kehoach_parser.store import STORE_NAME, STORE_VERSION, TABLES, Store, document_rows

PLANS = [build_plan(entry) for entry in load_cases("compare.toml")["plans"]]
QUERIES = load("queries")["queries"]


def _load(path: Path) -> None:
    with Store(path) as store:
        store.replace({p.source.path: document_rows(p, p.source.path, f"{p.source.path}.json")
                       for p in PLANS if p.source.path})


@pytest.fixture
def out(tmp_path: Path) -> Path:
    _load(tmp_path / STORE_NAME)
    return tmp_path


def test_rows_follow_the_tables_and_carry_the_locality() -> None:
    plan = PLANS[2]
    rows = document_rows(plan, "x.txt", "x.txt.json", "abc")
    assert set(rows) == set(TABLES)
    for table, columns in TABLES.items():
        names = [name for name, _ in columns]
        for row in rows[table]:
            assert len(row) == len(columns)
            record = dict(zip(names, row, strict=True))
            assert record["document"] == "x.txt"
            assert (record["locality"], record["level"], record["parent"],
                    record["plan_year"]) == ("Đông Hà", "district", "Bắc Sơn", 2023)
    assert len(rows["targets"]) == len(plan.targets) and rows["documents"][0][2] == "abc"


def test_one_row_per_item(out: Path) -> None:
    expected = {"documents": len(PLANS), "targets": sum(len(p.targets) for p in PLANS),
                "agencies": sum(len(p.agencies) for p in PLANS),
                "citations": sum(len(p.citations) for p in PLANS)}
    with Store(out / STORE_NAME, read_only=True) as store:
        for table, count in expected.items():
            assert store.query(f"SELECT count(*) FROM {table}").rows == [(count,)], table
        indicators = store.query("SELECT count(*) FROM targets WHERE indicator IS NULL").rows
        assert indicators == [(1,)]


def test_replace_swaps_a_documents_rows_and_none_removes(out: Path) -> None:
    first = PLANS[0]
    assert first.source.path
    with Store(out / STORE_NAME) as store:
        store.replace({first.source.path: document_rows(PLANS[1], first.source.path, "")})
        targets = store.query("SELECT count(*) FROM targets WHERE document = ?",
                              [first.source.path]).rows[0][0]
        assert targets == len(PLANS[1].targets)
        store.replace({first.source.path: None})
        assert store.known([first.source.path, "nope"]) == {}
        assert len(store.known([p.source.path for p in PLANS if p.source.path])) == 5


def test_an_older_store_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / STORE_NAME
    _load(path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE kehoach_store SET version = ?", [STORE_VERSION - 1])
    with Store(path) as store:
        assert store.query("SELECT count(*) FROM documents").rows == [(0,)]


def test_reading_a_missing_store_says_so(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="kehoach batch"):
        Store(tmp_path / STORE_NAME, read_only=True)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q["name"])
def test_example_query_runs_and_gives_its_columns(query: dict[str, Any], out: Path) -> None:
    with Store(out / STORE_NAME, read_only=True) as store:
        result = store.query(query["sql"])
    assert result.columns == query["columns"]
    assert result.rows, "every example finds something in the test plans"
    assert query["description"] and query["name"].isidentifier()


def test_cli_query_formats(out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sql = "SELECT locality, plan_year FROM documents ORDER BY document"
    assert main(["query", str(out), sql, "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["locality", "plan_year"] and rows[1] == ["Bắc Sơn", "2022"]
    assert main(["query", str(out / STORE_NAME), sql, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)[2] == {"locality": "Đông Hà", "plan_year": 2023}
    assert main(["query", str(out), ":targets"]) == 0
    assert "propaganda_commune_coverage_pct" in capsys.readouterr().out
    assert main(["query", str(out), "--list"]) == 0
    assert all(f":{q['name']}" in capsys.readouterr().out for q in QUERIES[:1])


@pytest.mark.parametrize(("argv", "code", "says"), [
    (["SELECT nope FROM documents"], 1, "nope"),
    ([":no_such_example"], 2, "no example query"),
    ([], 2, "give an SQL statement"),
])
def test_cli_query_errors(argv: list[str], code: int, says: str, out: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(out), *argv]) == code
    assert says in capsys.readouterr().err


def test_cli_query_without_a_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", str(tmp_path), "SELECT 1"]) == 2  # bad usage
    assert "kehoach batch" in capsys.readouterr().err

"""Inferred indicators in the comparison: ``compare_plans`` and ``kehoach compare`` on plans of
another programme than the catalogue's, ``--min-localities``, the HTML report linking each
value to its statement, and ``kehoach indicators suggest`` → edit → ``--catalogue``."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from batch_support import write_outputs
from conftest import load_cases
from kehoach_parser import parse_text
from kehoach_parser.cli import main, write_atomic
from kehoach_parser.compare import COLUMNS, compare_plans
from kehoach_parser.errors import SkippedFileWarning
from kehoach_parser.indicators import load_catalogue
from kehoach_parser.plan_targets import read_targets
from kehoach_parser.report import render
from kehoach_parser.suggest import suggest_catalogue
from test_grouping import plans

TEXTS = load_cases("compare_groups.toml")["texts"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_outputs(tmp_path_factory.mktemp("plans"), plans())


def _plan(name: str, text: str) -> Any:
    """A written plan parsed, recorded under ``name``."""
    plan = parse_text(text)
    return plan.model_copy(update={"source": plan.source.model_copy(update={"path": name})})


def _rows(frame: pd.DataFrame, label: str) -> pd.DataFrame:
    return frame[frame.label == label]


def test_other_programmes_are_compared_by_inferred_indicators() -> None:
    frame = compare_plans(plans())
    assert list(frame.columns) == COLUMNS
    assert frame.inferred.all() and frame.national_value.isna().all()
    drug_free = _rows(frame, "Xã, phường không có ma túy")
    assert sorted(drug_free.locality) == ["Gia Lai", "Nghệ An", "Quỳ Châu", "Thanh Hóa"]
    assert set(drug_free.year) == {2030} and drug_free.score.between(0.5, 1).all()
    # one row per plan: Thanh Hóa states it twice, the first statement counts
    assert not frame.duplicated(["indicator", "locality", "plan_year"]).any()
    district = drug_free[drug_free.locality == "Quỳ Châu"].iloc[0]
    assert district.parent_value == 50 and bool(district.weaker_than_parent)  # 40 < ≥ 50
    by_plan = {p.source.path: p for p in plans()}
    for row in frame.to_dict("records"):  # every value keeps its source
        text = by_plan[row["document"]].text
        assert text[int(row["span_start"]):int(row["span_end"])] == row["text"]
        assert row["section_path"] == "I"


def test_min_localities_selects_inferred_rows() -> None:
    def labels(n: int) -> set[str]:
        return set(compare_plans(plans(), min_localities=n).label)

    assert "Cơ sở cai nghiện ma túy công lập" not in labels(2)  # one plan sets it
    assert "Cơ sở cai nghiện ma túy công lập" in labels(1)
    assert labels(4) == {"Xã, phường không có ma túy"}
    assert compare_plans(plans(), inferred=False).empty


def test_amounts_of_one_family_are_compared_on_one_scale() -> None:
    frame = compare_plans(plans())
    budget = _rows(frame, "Thu ngân sách nhà nước")
    budget = budget[budget.unit != "percent"]
    assert sorted(budget.unit) == ["nghìn tỷ đồng", "tỷ đồng", "tỷ đồng"]
    page = render(budget, "html")
    # 25.000 tỷ, 2,1 nghìn tỷ = 2.100 tỷ and 3.200 tỷ on one axis in tỷ đồng
    bars = [float(w) for w in re.findall(r'class="bar [^"]*" style="width: ([\d.]+)%', page)]
    assert sorted(bars) == pytest.approx(sorted(100 * v / 25000 for v in (25000, 2100, 3200)),
                                         abs=0.01)
    assert '<div class="unit" style="grid-row: 5">tỷ đồng</div>' in page


@pytest.mark.parametrize("format", ["table", "md"])
def test_inferred_rows_are_marked(format: str, folder: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(folder), "--format", format]) == 0
    out = capsys.readouterr().out
    assert "≈ xa_phuong_khong_co_ma_tuy_2030" in out and "inferred from the plans" in out
    assert "(2030)" in out  # a target's year beside it when it is not its plan's


def test_cli_json_csv_and_selection(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(folder), "--format", "json", "--min-localities", "3"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["label"] for r in rows} == {"Xã, phường không có ma túy",
                                          "Người nghiện ma túy có nhu cầu",
                                          "Thu ngân sách nhà nước"}
    assert all(r["inferred"] for r in rows)
    addicts = next(r["indicator"] for r in rows if r["label"].startswith("Người nghiện"))
    assert main(["compare", str(folder), "--indicator", addicts, "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 4


def test_compare_usage_errors(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(folder), "--indicator", "xa_phuong_khong_co_ma_tuy"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "did you mean xa_phuong_khong_co_ma_tuy_2030?" in err[0]
    assert main(["compare", str(folder), "--min-localities", "0"]) == 2
    assert "--min-localities: must be a positive whole number" in capsys.readouterr().err
    assert main(["compare", str(folder), "--engine", "dask"]) == 2
    assert "needs --scheduler" in capsys.readouterr().err


def test_each_value_links_to_its_statement() -> None:
    frame = compare_plans(plans())
    page = render(frame, "html")
    targets = set(re.findall(r'<div class="value"[^>]*><a href="#([^"]+)"', page))
    statements = dict(re.findall(r'<li id="([^"]+)">(.*?)</li>', page))
    assert len(targets) == len(frame) and targets <= set(statements)
    drug_free = [statements[t] for t in targets if t.startswith("i-xa-phuong-khong-co-ma-tuy")]
    assert len(drug_free) == 4
    for said in drug_free:  # the document, its section path and the clause
        assert re.search(r"«[^»]*không (?:có )?ma túy[^»]*»", said) and "mục I" in said
        assert re.search(r"\.txt · mục I · \[\d+, \d+\)", said)
    assert page.count('<span class="inferred"') >= frame.indicator.nunique()


def _suggested(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
               ) -> tuple[Path, dict[str, Any]]:
    catalogue = tmp_path / "my.toml"
    assert main(["indicators", "suggest", str(folder), "--out", str(catalogue)]) == 0
    assert re.fullmatch(r"\d+ indicators -> .*my\.toml\n", capsys.readouterr().err)
    return catalogue, tomllib.loads(catalogue.read_text(encoding="utf-8"))


def test_suggested_catalogue_round_trip(folder: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """suggest → edit → --catalogue: the suggested indicators come back as catalogue rows
    (not inferred), with the ids and labels of the edited file and the same targets."""
    catalogue, data = _suggested(folder, tmp_path, capsys)
    inferred = compare_plans(folder)
    assert {i["id"] for i in data["indicators"]} == set(inferred.indicator)
    assert load_catalogue(catalogue)  # loads as written
    # the edit: a new id and label for one, another deleted
    deleted = _rows(inferred, "Người gây bạo lực gia đình").indicator.iloc[0]
    text = catalogue.read_text(encoding="utf-8")
    text = text.replace('id = "xa_phuong_khong_co_ma_tuy_2030"', 'id = "drug_free_communes"')
    text = text.replace('label = "Xã, phường không có ma túy"',
                        'label = "Tỷ lệ xã, phường không có ma túy"')
    start = text.index(f'\n[[indicators]]\nid = "{deleted}"')
    text = text[:start] + text[text.index("\n[[indicators]]", start + 1):]
    write_atomic(catalogue, text)
    assert main(["compare", str(folder), "--catalogue", str(catalogue), "--format",
                 "json"]) == 0
    rows = pd.DataFrame(json.loads(capsys.readouterr().out))
    kept = rows[~rows.inferred]
    renamed = {"xa_phuong_khong_co_ma_tuy_2030": "drug_free_communes"}
    expected = inferred[inferred.indicator != deleted]
    assert sorted(zip(kept.indicator, kept.document, kept.span_start, strict=True)) == sorted(
        (renamed.get(i, i), d, s) for i, d, s in zip(
            expected.indicator, expected.document, expected.span_start, strict=True))
    assert set(kept[kept.indicator == "drug_free_communes"].label) == {
        "Tỷ lệ xã, phường không có ma túy"}
    # the deleted one is no catalogue indicator: it is inferred again
    assert set(rows[rows.inferred].indicator) == {deleted}


def test_suggested_cues_and_examples_come_from_the_documents(folder: Path) -> None:
    text = suggest_catalogue(folder)
    assert text is not None
    data = tomllib.loads(text)
    clauses = {t.text for p in plans() for t in p.targets}
    by_id = {i["id"]: i for i in data["indicators"]}
    assert data["programme"]["domain"] == []  # for any document
    for indicator in data["indicators"]:
        assert indicator["examples"] and set(indicator["examples"]) <= clauses
        assert indicator["cues"] and indicator["label"]
    assert by_id["xa_phuong_khong_co_ma_tuy_2030"]["year"] == 2030
    assert by_id["thu_ngan_sach_nha_nuoc"]["measures"] == ["tỷ đồng", "nghìn tỷ đồng"]
    assert by_id["ho_ngheo_change"]["change"] is True


def test_suggest_usage_and_nothing_to_suggest(folder: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "c.toml"
    assert main(["indicators", "suggest", str(tmp_path / "missing"), "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("kehoach indicators suggest: error: ")
    assert main(["indicators", "suggest", str(folder), "--min-localities", "x"]) == 2
    assert "must be a positive whole number" in capsys.readouterr().err
    assert main(["indicators", "suggest", str(folder), "--min-localities", "9",
                 "--out", str(out)]) == 1
    assert "nothing to suggest" in capsys.readouterr().err and not out.exists()
    assert main(["indicators", "suggest", str(folder)]) == 0  # to stdout
    assert capsys.readouterr().out.startswith("# Bộ chỉ tiêu gợi ý")


@pytest.mark.slow  # parses three plans
def test_whole_plans_line_up_and_near_misses_stay_apart() -> None:
    """Written plans of three provinces through parse_text: their drug-free communes are one
    row, and no row holds both a drug-free commune and an addict in treatment."""
    documents = [_plan(t["name"], t["text"]) for t in TEXTS]
    frame = compare_plans(documents)
    rows = frame.groupby("indicator")["text"].apply(list)
    drug_free = [texts for texts in rows if any("không có ma túy" in t for t in texts)]
    assert len(drug_free) == 1 and len(drug_free[0]) == 3
    for texts in rows:
        assert not (any("ma túy" in t and "xã" in t for t in texts)
                    and any("cai nghiện" in t for t in texts)), texts


def test_a_json_file_that_is_not_an_output_is_left_out_with_a_warning(
        folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder of outputs with another tool's JSON in it: that file is named on stderr and
    left out; the comparison of the others is what it is without it."""
    import shutil

    mixed = tmp_path / "mixed"
    shutil.copytree(folder, mixed)
    (mixed / "notes.json").write_text('{"title": "ghi chú"}', encoding="utf-8")
    (mixed / "broken.json").write_bytes(b'{"schema_version": "1.1", ')
    assert main(["compare", str(folder), "--format", "json"]) == 0
    clean = capsys.readouterr().out
    assert main(["compare", str(mixed), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert out == clean
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("warning: ") for line in lines)
    assert "broken.json: not a kehoach output, left out: not JSON (EOF" in lines[0]
    assert "notes.json: not a kehoach output, left out: 4 fields" in lines[1]
    assert "(first: parser_version: Field required)" in lines[1]
    with pytest.warns(SkippedFileWarning) as skipped:
        assert len(read_targets(mixed)) == len(read_targets(folder))
    assert [Path(str(w.message).split(":")[0]).name for w in skipped] == ["broken.json",
                                                                          "notes.json"]


def test_each_row_keeps_its_own_year() -> None:
    """An annual plan's target lines up with a five-year plan's target of the same measure
    (the annual plan's own year is no horizon), but its row says the year it is for, not
    the other plan's horizon."""
    annual = _plan("tinh-a.txt", "ỦY BAN NHÂN DÂN\nTỈNH ĐIỆN BIÊN\nSố: 12/KH-UBND\nKẾ HOẠCH\n"
                   "Phát triển kinh tế năm 2026\nI. CHỈ TIÊU\n"
                   "1. Tỷ lệ hộ gia đình sử dụng nước sạch đạt 92%.\n")
    horizon = _plan("tinh-b.txt", "ỦY BAN NHÂN DÂN\nTỈNH TUYÊN QUANG\nSố: 7/KH-UBND\nKẾ HOẠCH\n"
                    "Phát triển kinh tế giai đoạn 2026 - 2030\nI. CHỈ TIÊU\n"
                    "1. Đến năm 2030, tỷ lệ hộ gia đình sử dụng nước sạch đạt 98%.\n")
    frame = compare_plans([annual, horizon])
    water = frame[frame.text.str.contains("nước sạch")]
    assert water.indicator.nunique() == 1 and len(water) == 2
    assert dict(zip(water.locality, water.year, strict=True)) == {"Điện Biên": 2026,
                                                                   "Tuyên Quang": 2030}

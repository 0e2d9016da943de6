"""Bộ chỉ tiêu (indicator catalogue): the bundled data file both ways, matching rules, loading
a user's catalogue, and the examples of docs/indicators.md."""

from __future__ import annotations

import doctest
import os
from pathlib import Path

import pytest
import regex

from conftest import ROOT
from kehoach_parser import indicators
from kehoach_parser.context import context_of
from kehoach_parser.errors import FileMissingError, InputError
from kehoach_parser.indicators import Indicator, load_catalogue
from kehoach_parser.models import Metadata
from kehoach_parser.targets import find_targets

CATALOGUE = load_catalogue()


def test_doctests() -> None:
    assert doctest.testmod(indicators).failed == 0
COMPARATORS = {"eq", "gte", "gt", "lte", "lt", "range", "increase", "decrease"}


@pytest.mark.parametrize("indicator", list(CATALOGUE), ids=lambda i: i.id)
def test_every_example_maps_to_its_indicator(indicator: Indicator) -> None:
    """Each example, stated as a target of a plan, is found and mapped to its indicator."""
    assert indicator.examples and indicator.cues and indicator.units
    metadata = Metadata(doc_type="KH", title="Phòng, chống mại dâm")
    for example in indicator.examples:
        targets = find_targets(context_of(f"I. CHỈ TIÊU\n- {example}", metadata=metadata)).items
        assert targets and targets[0].indicator == indicator.id, example


def test_ids_are_unique_and_national_targets_are_well_formed() -> None:
    ids = [i.id for i in CATALOGUE]
    assert len(ids) == len(set(ids)) == len(CATALOGUE) >= 20
    for indicator in CATALOGUE:
        if indicator.national is not None:
            assert indicator.national["comparator"] in COMPARATORS, indicator.id
            assert isinstance(indicator.national["value"], int | float), indicator.id


def test_the_programme_domain_recognises_its_examples() -> None:
    from kehoach_parser.data import load

    programme = load("indicators")["programme"]
    assert programme["examples"] and all(CATALOGUE.covers(e) for e in programme["examples"])
    assert not CATALOGUE.covers("Phát triển cụm công nghiệp tỉnh Lào Cai")


def test_the_bundled_catalogue_is_loaded_once() -> None:
    assert load_catalogue() is load_catalogue(None) is CATALOGUE
    assert CATALOGUE["media_posting_frequency"].units == ("per_period",)


def test_units_changes_and_periods_rule_indicators_out() -> None:
    clause = "Hằng năm, tăng từ 3% - 5% số tội phạm liên quan đến mại dâm được xử lý"
    subject = "tội phạm liên quan đến mại dâm"
    assert CATALOGUE.match(subject, clause, unit="percent",
                           comparator="increase") == "crime_detection_growth_pct"
    assert CATALOGUE.match(subject, clause, unit="percent",
                           comparator="eq") == "violations_handled_pct"
    assert CATALOGUE.match(subject, clause, unit="count", comparator="eq") is None
    inspected = "100% các cơ sở kinh doanh dịch vụ được kiểm tra ít nhất 1 lần"
    assert CATALOGUE.match("cơ sở", inspected, unit="percent") == (
        "business_inspection_cumulative_pct")
    assert CATALOGUE.match("cơ sở", inspected + " trong năm", unit="percent",
                           period="year") == "business_inspection_annual_pct"


def test_the_subject_decides_before_the_clause() -> None:
    clause = ("Tuyên truyền cho người lao động tại các cơ sở kinh doanh dịch vụ, 100% học sinh, "
              "sinh viên các trường trung học phổ thông")
    assert CATALOGUE.match("học sinh, sinh viên các trường trung học phổ thông", clause,
                           unit="percent") == "propaganda_students_pct"


def test_a_part_marked_caret_must_open_the_subject() -> None:
    assert CATALOGUE.match("cán bộ làm công tác phòng, chống mại dâm", "6.000 cán bộ",
                           unit="count") == "staff_trained_count"
    assert CATALOGUE.match("lớp tập huấn cho cán bộ", "02 lớp tập huấn cho cán bộ",
                           unit="count") is None


def test_a_typo_does_not_hide_a_long_cue() -> None:
    assert CATALOGUE.match("xã", "60% xã tổ chức được một hình thúc tuyên truyền",
                           unit="percent") == "propaganda_commune_coverage_pct"


def test_another_domain_matches_nothing() -> None:
    assert CATALOGUE.match("hộ nghèo", "giảm 1,5% hộ nghèo", unit="percent") is None


# ---------------------------------------------------------------------------------------------
# A user's catalogue
# ---------------------------------------------------------------------------------------------

GOOD = """
[programme]
name = "Phòng, chống mua bán người"
domain = ['mua\\s+bán\\s+người']
[[indicators]]
id = "victims_supported_pct"
label = "Tỷ lệ nạn nhân bị mua bán được hỗ trợ"
units = ["percent"]
cues = ["nạn nhân … hỗ trợ"]
examples = ["100% nạn nhân bị mua bán trở về được tiếp nhận, hỗ trợ"]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_catalogue_loads_and_matches(tmp_path: Path) -> None:
    catalogue = load_catalogue(_write(tmp_path, GOOD))
    assert catalogue.name == "Phòng, chống mua bán người" and len(catalogue) == 1
    assert catalogue.covers("Kế hoạch phòng, chống mua bán người năm 2024")
    example = catalogue["victims_supported_pct"].examples[0]
    assert catalogue.match(example, example, unit="percent") == "victims_supported_pct"


@pytest.mark.parametrize(("text", "message"), [
    ("[programme\n", "not a TOML catalogue"),
    ("[programme]\nname = 'x'\n", "at least one"),
    (GOOD.replace('units = ["percent"]', 'units = ["ha"]'), "units must be"),
    (GOOD.replace('cues = ["nạn nhân … hỗ trợ"]', "cues = []"), "non-empty cues"),
    (GOOD.replace('label = "Tỷ lệ nạn nhân bị mua bán được hỗ trợ"\n', ""), "missing or bad"),
    (GOOD + GOOD[GOOD.index("[[indicators]]"):], "duplicate indicator ids"),
    (GOOD.replace("mua\\s+bán", "mua("), "bad domain pattern"),
])
def test_a_malformed_catalogue_is_refused(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=regex.escape(message)):
        load_catalogue(_write(tmp_path, text))


def test_a_missing_catalogue_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileMissingError):
        load_catalogue(tmp_path / "none.toml")


def test_the_documentation_examples_run(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")
    blocks = regex.findall(r"```(\w+)\n(.*?)```", doc, flags=regex.DOTALL)
    toml = [code for lang, code in blocks if lang == "toml"]
    python = [code for lang, code in blocks if lang == "python" and "parse_file" not in code]
    assert len(toml) == 1 and len(python) == 2
    (tmp_path / "drugs.toml").write_text(toml[0], encoding="utf-8")
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        namespace: dict[str, object] = {}
        for code in python:
            exec(code, namespace)  # the examples of the documentation, as written
    finally:
        os.chdir(here)

"""Vietnamese dates and numbers, table-driven."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import load_cases
from kehoach_parser.dates import VnDate, find_dates, parse_date
from kehoach_parser.numbers import number_word, number_words, parse_number

DATES = load_cases("dates.toml")
NUMBERS = load_cases("numbers.toml")


def _none(value: Any) -> int | None:
    return None if value == "null" else int(value)


@pytest.mark.parametrize("case", DATES["cases"], ids=[c["text"] for c in DATES["cases"]])
def test_dates(case: dict[str, Any]) -> None:
    year, month, day = (_none(v) for v in case["date"])
    assert parse_date(case["text"]) == VnDate(year, month, day)


@pytest.mark.parametrize("text", DATES["negative"]["texts"])
def test_not_dates(text: str) -> None:
    assert parse_date(text) is None


def test_date_spans() -> None:
    text = "Quyết định số 1629/QĐ-TTg ngày 28/9/2021 của Thủ tướng"
    ((start, end), date) = next(find_dates(text))
    assert text[start:end] == "28/9/2021" and date.iso() == "2021-09-28"


def test_iso_needs_all_parts() -> None:
    assert VnDate(2022, None, None).iso() is None


@pytest.mark.parametrize(("text", "value"), NUMBERS["cases"])
def test_numbers(text: str, value: float) -> None:
    got = parse_number(text)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("text", NUMBERS["negative"])
def test_not_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_number_words() -> None:
    assert number_word("một") == 1 and number_word("Mười") == 10 and number_word("trăm") is None
    assert number_words()[0] in {"mười", "sáu", "chín", "bốn", "bảy", "một"}

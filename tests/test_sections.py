"""Section tree: heading shapes, numbering sequence, titles, kinds, spans."""

from __future__ import annotations

from typing import Any

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from conftest import load_cases
from kehoach_parser import parse_text, sections
from kehoach_parser.data import load
from kehoach_parser.normalize import normalize
from kehoach_parser.sections import heading_kinds, path_at, section_at, split_sections, walk

CASES = load_cases("headings.toml")["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_headings(case: dict[str, Any]) -> None:
    tree = split_sections(normalize(case["doc"]))
    got = [[s.path, s.title, s.level] for s in walk(tree)]
    assert got == case["sections"]


@pytest.mark.parametrize(
    ("title", "kinds"),
    [
        ("MỤC ĐÍCH, YÊU CẦU VÀ CÁC CHỈ TIÊU CHỦ YẾU", ["purpose", "requirements", "targets"]),
        ("CHỈ TIÊU, NHIỆM VỤ", ["targets", "tasks"]),
        ("MỘT SỐ MỤC TIÊU CỤ THỂ", ["targets"]),
        ("NHIỆM VỤ VÀ GIẢI PHÁP TRỌNG TÂM", ["tasks", "solutions"]),
        ("GIẢI PHÁP THỰC HIỆN", ["solutions"]),
        ("KINH PHÍ THỰC HIỆN", ["funding"]),
        ("TỔ CHỨC THỰC HIỆN", ["implementation"]),
        ("Tổ chức thực hiện", ["implementation"]),
        ("Sở Y tế", ["other"]),
        ("ĐÁNH GIÁ KẾT QUẢ NĂM 2023", ["other"]),
        ("CÁC CHỈ TIÊU, NHIỆM VỤ CỤ THỂ ĐẾN NĂM 2025 VÀ GIẢI PHÁP THỰC HIỆN CHỦ YẾU",
         ["targets", "tasks", "solutions"]),
        ("10/10 huyện, thành phố xây dựng kế hoạch và tổ chức thực hiện các hoạt động "
         "phòng, chống mại dâm", ["other"]),
    ],
)
def test_kinds(title: str, kinds: list[str]) -> None:
    assert heading_kinds(title) == kinds


def test_spans_nest_and_cover_content() -> None:
    doc = parse_text("I. MỤC ĐÍCH\n1. Mục đích\nNội dung một.\n2. Yêu cầu\nNội dung hai.\n"
                     "II. KINH PHÍ\nNgân sách.")
    first, second = doc.sections
    assert doc.text[slice(*first.span)].endswith("Nội dung hai.")
    assert doc.text[slice(*second.span)] == "II. KINH PHÍ\nNgân sách."
    for parent in walk(doc.sections):
        for child in parent.children:
            assert parent.span[0] <= child.span[0] <= child.span[1] <= parent.span[1]
    offset = doc.text.index("Nội dung hai")
    assert path_at(doc.sections, offset) == "I.2"
    section = section_at(doc.sections, offset)
    assert section is not None and section.title == "Yêu cầu"
    assert path_at(doc.sections, 0) == "I"


def test_heading_span_is_the_heading() -> None:
    doc = parse_text("**6. Sở Y tế:** Tổ chức thanh tra")
    (section,) = doc.sections
    assert doc.text[slice(*section.heading_span)] == "6. Sở Y tế:"


def test_seed_roman_parts(corpus_documents: dict[str, Any]) -> None:
    plans = [d for d in corpus_documents.values() if d.metadata.doc_type == "KH"]
    assert plans
    for doc in plans:
        assert [s.number for s in doc.sections] == ["I", "II", "III", "IV", "V"]
        assert "implementation" in doc.sections[-1].kinds


_KIND_WORDS = [w for entry in load("sections")["kinds"] for w in entry["words"]]


@given(st.lists(st.sampled_from([*_KIND_WORDS, "cac", "ve", " ", "x", "phan cong"]),
                max_size=4))
def test_one_pattern_of_the_kinds_answers_as_each_in_turn(words: list[str]) -> None:
    """A phrase's kind is read by one pattern of all the kinds: the kind of the first entry
    whose own pattern matches, as trying them in file order gives."""
    phrase = " ".join(words)
    entries = load("sections")["kinds"]
    each = next((e["kind"] for e in entries if regex.match(e["pattern"], phrase)), None)
    assert sections._kind(sections._words(), phrase) == each

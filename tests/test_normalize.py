"""Normalization: one form for comparison, markup removed, offsets kept."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_parser import normalize as normalize_mod
from kehoach_parser.normalize import OffsetMap, fold_tones, normalize


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("Văn hoá", "Văn hóa"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("Thuỷ điện", "Thủy điện"),
        ("hoà nhập, khoẻ mạnh", "hòa nhập, khỏe mạnh"),
        ("HOÁ CHẤT", "HÓA CHẤT"),
        ("quý, quỳ, hoàn, toán, khuyết", "quý, quỳ, hoàn, toán, khuyết"),
        ("Lao động – Thương binh — Xã hội", "Lao động - Thương binh - Xã hội"),
        ("a\u00a0b\u200bc", "a bc"),
        (unicodedata.normalize("NFD", "Hải Phòng"), "Hải Phòng"),
        ("## **II. NHIỆM VỤ**", "II. NHIỆM VỤ"),
        ("### ***3.2. Về phòng ngừa:***", "3.2. Về phòng ngừa:"),
        ("**KẾ HOẠCH**  \n**Phòng, chống**", "KẾ HOẠCH\nPhòng, chống"),
        ("cơ sở kinh doanh dịch\n\nvụ dễ phát sinh", "cơ sở kinh doanh dịch vụ dễ phát sinh"),
        ("Nghị quyết số 49/NQ-HĐND ngày\n\n08/12/2023 của",
         "Nghị quyết số 49/NQ-HĐND ngày 08/12/2023 của"),
        ("Nghị định số 178/2026/NĐ-\nCP", "Nghị định số 178/2026/NĐ-CP"),
        ("Bộ Lao động -\nThương binh", "Bộ Lao động -\nThương binh"),
        ("ỦY BAN NHÂN DÂN\n-------\nSố: 146/2025/NĐ-CP", "ỦY BAN NHÂN DÂN\nSố: 146/2025/NĐ-CP"),
        ("-------\nSố: 146", "Số: 146"),
        ("1 | Tỷ lệ xã | 70%\n2 | số cơ sở | 20%", "1 | Tỷ lệ xã | 70%\n2 | số cơ sở | 20%"),
        ("câu kết thúc.\n\n1. Mục mới", "câu kết thúc.\n1. Mục mới"),
        ("văn bản\n\n- gạch đầu dòng", "văn bản\n- gạch đầu dòng"),
        ("dòng một\n\n\n\n12\n\n\ndòng hai", "dòng một dòng hai"),
        ("I. MỤC ĐÍCH\nnội dung", "I. MỤC ĐÍCH\nnội dung"),
        ("1\\. Mục", "1. Mục"),
        ("  thụt   đầu dòng  ", "thụt đầu dòng"),
        ("Ủy ban\r\nnhân dân", "Ủy ban nhân dân"),
    ],
)
def test_normalize(raw: str, text: str) -> None:
    assert normalize(raw).text == text


def test_cues_keep_bold_and_headings() -> None:
    n = normalize("## **I. MỤC ĐÍCH**\n**6. Sở Y tế:** Tổ chức\nthường")
    heading, runon = n.lines[0], n.lines[1]
    assert heading.heading == 2 and heading.bold
    assert not runon.bold and n.text[runon.start : runon.bold_end] == "6. Sở Y tế:"


def test_bold_across_hard_breaks() -> None:
    n = normalize("**Triển khai năm 2024,  \nQuyết định số 29**\n\nThực hiện")
    assert [c.bold for c in n.lines] == [True, True, False]


def test_offsets_map_back_to_raw() -> None:
    raw = "## **I. MỤC ĐÍCH**\n\nHoà nhập cộng đồng, dịch\n\nvụ xã hội"
    n = normalize(raw)
    for word in ("MỤC ĐÍCH", "cộng đồng", "vụ xã hội"):
        start = n.text.index(word)
        s, e = n.to_raw_span((start, start + len(word)))
        assert raw[s:e] == word
    start = n.text.index("Hòa")
    s, e = n.to_raw_span((start, start + 3))
    assert raw[s:e] == "Hoà"


def test_offsets_through_nfc_composition() -> None:
    raw = unicodedata.normalize("NFD", "Sở Y tế tỉnh Lai Châu")
    n = normalize(raw)
    start = n.text.index("Lai Châu")
    s, e = n.to_raw_span((start, start + len("Lai Châu")))
    assert unicodedata.normalize("NFC", raw[s:e]) == "Lai Châu"


@given(st.text(alphabet=st.sampled_from(list("aăâoơuưyiêeđ àáảãạ\u0300\u0301*#-–\n 0123456789.:;")),
               max_size=200))
def test_fold_tones_keeps_length_and_is_idempotent(text: str) -> None:
    nfc = unicodedata.normalize("NFC", text)
    once = fold_tones(nfc)
    assert len(once) == len(nfc)
    assert fold_tones(once) == once


@given(st.text(max_size=300))
def test_spans_map_inside_raw(raw: str) -> None:
    n = normalize(raw)
    for i in range(0, len(n.text) + 1, 7):
        s, e = n.to_raw_span((i, min(i + 5, len(n.text))))
        assert 0 <= s <= e <= len(raw)


def _general(raw: str) -> tuple[str, OffsetMap]:
    """Pass 1 with no step skipped: every dropped character looked for, every cluster
    composed, every tab judged, the whole table applied, every old tone looked for."""
    text, mapping = normalize_mod._dropped(raw)
    text, mapping = normalize_mod._compose(text, mapping, normalize_mod._MARKED_RE)
    text, mapping = normalize_mod._compose(text, mapping, normalize_mod._CLUSTER_RE)
    text, mapping = normalize_mod._tabs(text, mapping)
    text = text.translate(normalize_mod._CHAR_TABLE)
    return normalize_mod._OLD_TONE_RE.sub(normalize_mod._fix_tone, text), mapping


_PASS1 = st.text(alphabet=st.one_of(
    st.sampled_from(list("aăâoơuưyiêeđ hoaquy.,\n-|*AOUQ")),
    st.sampled_from(["\u0300", "\u0301", "\u0309", "\u0323", "\u0303", "\u0302", "\u031b",
                     "\u200b", "\u00ad", "\ufeff", "\r", "\u00a0", "\u2013", "\t", "\u01a3",
                     "\u1100", "\u1161", "\u212b", "á", "à", "ý", "ỷ", "é", "\f"]),
    st.characters()), max_size=120)


@settings(max_examples=400, deadline=None)
@given(_PASS1)
def test_the_character_pass_skips_only_what_would_not_change(raw: str) -> None:
    """Nothing to drop, NFC already, no old tone: the steps skipped give what running them
    gives, the same text and the same offsets."""
    fast_text, fast_map = normalize_mod.normalize_chars(raw)
    text, mapping = _general(raw)
    assert fast_text == text
    for pos in range(len(text) + 1):
        assert fast_map.to_raw(pos) == mapping.to_raw(pos)
        assert fast_map.to_raw_end(pos) == mapping.to_raw_end(pos)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Hòa Thủy nghiêm ĐỨC \n-.,")), max_size=80))
def test_a_text_with_nothing_to_change_keeps_its_offsets(raw: str) -> None:
    text, mapping = normalize_mod.normalize_chars(raw)
    assert text == raw
    assert all(mapping.to_raw(i) == i == mapping.to_raw_end(i) for i in range(len(raw) + 1))

"""Forms a document takes when it is copied as plain text: a saved web page's header cells
stacked one per line and wrapped inside their words, headings wrapped by a narrow page or
cell, a heading's number alone on its line, and Word's "save as text" with tabs between a
header table's cells. Written variants: other names, numbers and places."""

from __future__ import annotations

import pytest

from kehoach_parser import parse_text
from kehoach_parser.normalize import normalize, normalize_chars
from kehoach_parser.sections import walk


def _header(motto: str, place_date: str = "Quảng Trị, ngày 03 tháng 9 năm 2025") -> str:
    return (f"ỦY BAN NHÂN DÂN\nTỈNH QUẢNG TRỊ\n-------\n{motto}\nĐộc lập - Tự do - Hạnh phúc\n"
            f"---------------\nSố: 218/KH-UBND\n{place_date}\n\nKẾ HOẠCH\n"
            "Phát triển du lịch cộng đồng năm 2025\n\nI. MỤC TIÊU\n\n"
            "Phấn đấu 60% số xã có sản phẩm du lịch cộng đồng.\n")


@pytest.mark.parametrize("motto", [
    "CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM",
    "CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM",
    "CỘNG\nHÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "CỘNG HÒA XÃ HỘI CHỦ\nNGHĨA VIỆT NAM",
])
def test_a_motto_wrapped_inside_its_words_is_still_the_motto(motto: str) -> None:
    m = parse_text(_header(motto)).metadata
    assert m.issuer == "Ủy ban nhân dân tỉnh Quảng Trị"
    assert (m.identifier, m.place) == ("218/KH-UBND", "Quảng Trị")
    assert (m.date.year, m.date.month, m.date.day) == (2025, 9, 3)
    assert m.locality.name == "Quảng Trị"


@pytest.mark.parametrize("place_date", [
    "Quảng\nTrị, ngày 03 tháng 9 năm 2025",
    "Quảng Trị, ngày\n03 tháng 9 năm 2025",
])
def test_a_place_and_date_wrapped_by_a_narrow_cell_are_one(place_date: str) -> None:
    m = parse_text(_header("CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM", place_date)).metadata
    assert (m.place, m.date.year, m.date.month, m.date.day) == ("Quảng Trị", 2025, 9, 3)


def test_a_name_over_a_place_and_date_outside_the_header_stays_apart() -> None:
    layout = normalize("Nơi nhận:\n- Lưu: VT.\nNguyễn Văn Hùng\nĐông Hà, ngày 5 tháng 3 năm 2026\n")
    assert "Nguyễn Văn Hùng" in [layout.text[line.start:line.end] for line in layout.lines]


def test_a_line_that_only_opens_like_the_motto_is_not_the_motto() -> None:
    text = _header("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").replace(
        "Phấn đấu 60%", "Cộng hòa\nxã hội chủ nghĩa Việt Nam là nhà nước pháp quyền. Phấn đấu 60%")
    layout = normalize(text)
    assert [line.role for line in layout.lines if line.zone == "body"
            and layout.text[line.start:line.end].startswith("Cộng hòa")] == [""]


_WRAPPED_HEADINGS = """\
KẾ HOẠCH
Chuyển đổi số năm 2026

I. MỤC
ĐÍCH, YÊU CẦU

1. Mục
đích

Nâng cao chất lượng dịch vụ công.

II. NHIỆM VỤ VÀ
GIẢI PHÁP

1.
Hoàn thiện thể chế

Rà soát các quy định.

III. TỔ
CHỨC THỰC HIỆN

1. Sở
Nội vụ

Chủ trì, phối hợp với các cơ quan triển khai Kế hoạch.

2. Ủy ban
Mặt trận Tổ quốc Việt Nam tỉnh

Phối hợp tuyên truyền.
"""


def test_headings_wrapped_inside_their_words_keep_their_titles() -> None:
    doc = parse_text(_WRAPPED_HEADINGS)
    titles = {s.path: (s.title, s.kinds) for s in walk(doc.sections)}
    assert titles["I"] == ("MỤC ĐÍCH, YÊU CẦU", ["purpose", "requirements"])
    assert titles["II"] == ("NHIỆM VỤ VÀ GIẢI PHÁP", ["tasks", "solutions"])
    assert titles["II.1"][0] == "Hoàn thiện thể chế"
    assert titles["III"] == ("TỔ CHỨC THỰC HIỆN", ["implementation"])
    assert titles["III.1"][0] == "Sở Nội vụ"
    assert titles["III.2"][0] == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"
    assert {a.name for a in doc.agencies} >= {"Sở Nội vụ"}


@pytest.mark.parametrize(("first", "second"), [
    ("1. Thời gian tiếp nhận hồ sơ", "Từ ngày 12/3/2026 đến ngày 20/3/2026."),
    ("đ) Thị trường châu Đại", "Dương và Nam Mỹ."),  # "Đại" is no head word ("Đài" is)
    ("I. MỤC TIÊU", "Nâng cao chất lượng dịch vụ công."),
    ("3. Văn phòng Sở", "Chuẩn bị địa điểm, hậu cần."),  # the office of the Sở: a whole name
    ("b) Các chi bộ, đảng bộ cơ sở", "Tổ chức quán triệt đến đảng viên."),
])
def test_a_heading_and_the_sentence_under_it_stay_apart(first: str, second: str) -> None:
    layout = normalize(f"KẾ HOẠCH\nChuyển đổi số\n\n{first}\n{second}\n")
    assert any(layout.text[line.start:line.end] == first for line in layout.lines)


def test_a_blank_line_keeps_a_heading_in_capitals_apart_from_the_next() -> None:
    layout = normalize("I. MỤC TIÊU\n\nKẾ HOẠCH THỰC HIỆN\n")
    assert [layout.text[line.start:line.end] for line in layout.lines][:1] == ["I. MỤC TIÊU"]


_TABBED = (
    "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "TỈNH NINH BÌNH\tĐộc lập - Tự do - Hạnh phúc\n"
    "Số: 77/KH-UBND\tNinh Bình, ngày 21 tháng 4 năm 2026\n\n"
    "KẾ HOẠCH\nPhòng, chống thiên tai năm 2026\n\n"
    "I.\tMỤC TIÊU\n"
    "1.\tGiảm 20% thiệt hại về tài sản do thiên tai.\n"
    "-\tSở Nông nghiệp và Môi trường chủ trì thực hiện.\n"
)


def test_tabs_between_a_header_tables_cells_are_columns() -> None:
    doc = parse_text(_TABBED)
    m = doc.metadata
    assert m.issuer == "Ủy ban nhân dân tỉnh Ninh Bình"
    assert (m.identifier, m.place, m.date.day) == ("77/KH-UBND", "Ninh Bình", 21)
    assert [(s.path, s.title) for s in walk(doc.sections)][:2] == [
        ("I", "MỤC TIÊU"), ("I.1", "Giảm 20% thiệt hại về tài sản do thiên tai")]


def test_a_tab_after_a_mark_or_at_a_line_end_is_one_space() -> None:
    for raw, text in [("1.\tMục tiêu", "1. Mục tiêu"), ("-\tTăng cường", "- Tăng cường"),
                      ("a)\tnội dung", "a) nội dung"), ("\tthụt đầu", " thụt đầu"),
                      ("cuối dòng\t\nsau", "cuối dòng \nsau"),
                      ("Số: 5\tHà Nội, ngày", "Số: 5   Hà Nội, ngày")]:
        assert normalize_chars(raw)[0] == text, raw


def test_a_tab_gap_maps_back_to_the_tab() -> None:
    raw = "ỦY BAN NHÂN DÂN \t CỘNG HÒA"
    text, mapping = normalize_chars(raw)
    assert text == "ỦY BAN NHÂN DÂN   CỘNG HÒA"
    gap = text.index("   ")
    assert (mapping.to_raw(gap), mapping.to_raw_end(gap + 3)) == (15, 18)
    assert raw[mapping.to_raw(gap + 3):] == "CỘNG HÒA"

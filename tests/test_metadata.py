"""Metadata: header block, number, place and date, title, locality, signer, recipients."""

from __future__ import annotations

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from kehoach_parser import metadata, parse_text
from kehoach_parser.layout import fold

HEADER = """ỦY BAN NHÂN DÂN
TỈNH LAI CHÂU
Số: 3742/KH-UBND
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Lai Châu, ngày 12 tháng 11 năm 2021
KẾ HOẠCH
Phòng, chống mại dâm giai đoạn 2021-2025
trên địa bàn tỉnh Lai Châu
Thực hiện Quyết định số 1629/QĐ-TTg ngày 28/9/2021 của Thủ tướng Chính phủ;
I. MỤC ĐÍCH, YÊU CẦU
- Nội dung.
Nơi nhận:
- Bộ LĐTBXH;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Giàng Páo Mỷ
"""


def test_header_block() -> None:
    m = parse_text(HEADER).metadata
    assert (m.doc_type, m.number, m.symbol, m.identifier) == ("KH", "3742", "KH-UBND",
                                                             "3742/KH-UBND")
    assert m.issuer == "Ủy ban nhân dân tỉnh Lai Châu"
    assert m.place == "Lai Châu"
    assert (m.date.year, m.date.month, m.date.day) == (2021, 11, 12)
    assert m.title == "Phòng, chống mại dâm giai đoạn 2021-2025 trên địa bàn tỉnh Lai Châu"
    assert m.plan_year == 2021
    assert (m.locality.name, m.locality.level, m.locality.parent) == ("Lai Châu", "province",
                                                                      None)
    assert m.signer.name == "Giàng Páo Mỷ" and m.signer.position == "Chủ tịch"
    assert m.signer.on_behalf_of == "TM. Ủy ban nhân dân" and m.signer.capacity is None
    assert m.recipients == ["Bộ LĐTBXH", "Lưu: VT"]


@pytest.mark.parametrize(
    ("line", "number", "symbol"),
    [
        ("Số: /KH-UBND", None, "KH-UBND"),
        ("Số:      /KH-UBND", None, "KH-UBND"),
        ("Số: ……/KH-UBND", None, "KH-UBND"),
        ("Số: **879** /UBND-VX", "879", "UBND-VX"),
        ("Số: 879 /UBND-VX", "879", "UBND-VX"),
        ("Số 47/KH-SLĐTBXH-PCTNXH", "47", "KH-SLĐTBXH-PCTNXH"),
        ("Số: 29/2025/QĐ-UBND", "29", "QĐ-UBND"),
        ("Số: 31 /2026/QĐ-UBND", "31", "QĐ-UBND"),
        ("So: 4127 /QD-UBND", "4127", "QĐ-UBND"),
    ],
)
def test_number_line(line: str, number: str | None, symbol: str) -> None:
    """The symbol is the part after the number without the year (SPEC's citation
    convention: 178/2004/NĐ-CP → NĐ-CP); the identifier keeps the year."""
    m = parse_text(f"{line}\nKẾ HOẠCH\nTiêu đề").metadata
    assert (m.number, m.symbol) == (number, symbol)
    year = "".join(part + "/" for part in line.split("/")[1:-1] if part.strip().isdigit())
    assert m.identifier == (f"{number}/{year}{symbol}" if number else None)


@pytest.mark.parametrize(
    ("line", "identifier", "symbol"),
    [
        ("Số 57-NQ/TU", "57-NQ/TU", "NQ/TU"),
        ("Số 3102 -CV/ĐU", "3102-CV/ĐU", "CV/ĐU"),
        ("Số: 118-CTr/TU", "118-CTr/TU", "CTr/TU"),
    ],
)
def test_party_number_line(line: str, identifier: str, symbol: str) -> None:
    m = parse_text(f"TỈNH ỦY HÀ GIANG\n{line}\nNGHỊ QUYẾT\nvề công tác năm 2027").metadata
    assert (m.identifier, m.symbol) == (identifier, symbol)


def test_blank_number_warns() -> None:
    doc = parse_text("Số: /KH-UBND\nKẾ HOẠCH\nTiêu đề")
    assert any("blank" in w for w in doc.warnings)


@pytest.mark.parametrize(
    ("line", "place", "date"),
    [
        ("Lai Châu, ngày tháng năm 2022", "Lai Châu", (2022, None, None)),
        ("Quảng Nam, ngày   tháng 3 năm 2024", "Quảng Nam", (2024, 3, None)),
        ("Lai Châu, ngày **16** tháng 7 năm 2013", "Lai Châu", (2013, 7, 16)),
        ("Dương Kinh, ngày 05 tháng 01 năm 2023", "Dương Kinh", (2023, 1, 5)),
        ("Hà Nội, ngày 23 tháng 06 năm 2011", "Hà Nội", (2011, 6, 23)),
    ],
)
def test_place_and_date(line: str, place: str, date: tuple[int | None, ...]) -> None:
    m = parse_text(f"Số: 1/KH-UBND\n{line}\nKẾ HOẠCH\nTiêu đề").metadata
    assert m.place == place
    assert (m.date.year, m.date.month, m.date.day) == date


def test_cong_van_subject_and_type() -> None:
    text = ("Số: 879 /UBND-VX\nV/v tăng cường thực hiện công tác\nphòng, chống tệ nạn mại dâm\n"
            "Lai Châu, ngày 16 tháng 7 năm 2013\nKính gửi:\n- Các sở, ngành;\n"
            "- Ủy ban nhân dân các huyện, thị xã.\nUBND tỉnh yêu cầu các sở thực hiện.\n"
            "1. Sở Y tế\nThực hiện.\nTM. ỦY BAN NHÂN DÂN\n")
    m = parse_text(text).metadata
    assert m.doc_type == "CV" and m.identifier == "879/UBND-VX"
    assert m.title == "tăng cường thực hiện công tác phòng, chống tệ nạn mại dâm"
    assert m.plan_year is None
    assert m.issuer == "Ủy ban nhân dân tỉnh Lai Châu"
    assert m.signer.name is None and m.signer.on_behalf_of == "TM. Ủy ban nhân dân"
    assert m.recipients[:2] == ["Các sở, ngành", "Ủy ban nhân dân các huyện, thị xã"]


def test_district_has_its_province_as_parent() -> None:
    text = ("Số: /KH-UBND\nDương Kinh, ngày tháng năm 2023\nKẾ HOẠCH\nPhòng, chống mại dâm\n"
            "Căn cứ Kế hoạch số 76/KH-UBND ngày 07/3/2023 của Ủy ban nhân dân thành phố Hải "
            "Phòng;\nỦy ban nhân dân quận Dương Kinh xây dựng kế hoạch như sau:\n"
            "I. MỤC ĐÍCH\n- Nội dung.")
    m = parse_text(text).metadata
    assert m.issuer == "Ủy ban nhân dân quận Dương Kinh"
    assert (m.locality.name, m.locality.level, m.locality.parent) == ("Dương Kinh", "district",
                                                                      "Hải Phòng")


def test_centrally_run_city_is_province_level() -> None:
    text = ("Số: /KH-UBND\nHải Phòng, ngày tháng năm 2024\nKẾ HOẠCH\nTiêu đề năm 2024\n"
            "Ủy ban nhân dân thành phố ban hành Kế hoạch như sau:\nI. MỤC ĐÍCH\n- Nội dung.")
    m = parse_text(text).metadata
    assert m.issuer == "Ủy ban nhân dân thành phố Hải Phòng"
    assert m.locality.level == "province" and m.locality.parent is None


def test_department_under_a_province() -> None:
    text = ("UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG\nSố: 3024/KH-SCT\n"
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nLào Cai, ngày 27 tháng 5 năm 2026\n"
            "KẾ HOẠCH\nKiểm tra năm 2026")
    m = parse_text(text).metadata
    assert m.issuer is not None and m.issuer.startswith("Sở công thương".capitalize()[:3])
    assert (m.locality.name, m.locality.level) == ("Lào Cai", "province")
    assert (m.doc_type, m.identifier, m.plan_year) == ("KH", "3024/KH-SCT", 2026)


def test_title_stops_at_the_body() -> None:
    text = ("KẾ HOẠCH\nThực hiện Chương trình phòng, chống mại dâm năm 2024\n"
            "Thực hiện Kế hoạch số 9373/KH-UBND ngày 28/12/2021 của Ủy ban nhân dân tỉnh")
    assert parse_text(text).metadata.title == (
        "Thực hiện Chương trình phòng, chống mại dâm năm 2024")


def test_missing_facts_are_null_and_warned() -> None:
    doc = parse_text("Một đoạn văn không có thể thức.")
    m = doc.metadata
    assert m.doc_type is None and m.issuer is None and m.date.year is None
    assert any("date" in w for w in doc.warnings)


def test_type_line_with_its_subject() -> None:
    text = ("UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Lào Cai, ngày tháng 7 năm 2026\nBIÊN BẢN THẨM ĐỊNH HỒ SƠ\n"
            "Phục vụ cấp Giấy phép vận chuyển hàng hóa nguy hiểm loại 2\n"
            "Căn cứ Nghị định số 161/2024/NĐ-CP ngày 18/12/2024 của Chính phủ;")
    m = parse_text(text).metadata
    assert m.doc_type == "BB"
    assert m.issuer == "Sở Công Thương tỉnh Lào Cai"
    assert m.title == ("THẨM ĐỊNH HỒ SƠ Phục vụ cấp Giấy phép vận chuyển hàng hóa nguy hiểm "
                       "loại 2")


def test_template_placeholders_are_not_issuers() -> None:
    text = "(TÊN TỔ CHỨC ĐỀ NGHỊ)\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBẢNG KÊ DANH SÁCH"
    assert parse_text(text).metadata.issuer is None


@given(st.text(st.sampled_from("kKḱḰǨǩ \u212aíinhgửuKÍNH GỬI:"), max_size=12))
def test_the_addressee_line_is_looked_for_by_its_first_letter(text: str) -> None:
    """A line is folded for "Kính gửi" only when its first letter may fold to "k": an ASCII
    one other than "k" never does."""
    if fold(text[:20]).startswith("kinh gui"):
        assert text[:1] in "kK" or not text[:1].isascii()


@given(st.text(st.sampled_from("0123456789/-số ĐQDAa.,"), max_size=30))
def test_a_title_that_cites_is_told_from_its_first_digit(title: str) -> None:
    """Whether a title cites a document, read from the first digit of each run (linear), is
    what looking at every digit says."""
    every_digit = regex.compile(r"\bsố\s+\d|\d+/[\p{L}Đ]")
    assert (metadata._CITES_RE.search(title) is None) == (every_digit.search(title) is None)

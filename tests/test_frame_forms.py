"""The document frame in forms met on real documents: a number line with wide blanks, a
subject that wraps onto a line opening with "ngày …", a DOCX extraction's " | " table cells,
a motto wrapped before its last word, an OCR line "Nơi nhận: TM. …", the adopting body under
a Party resolution's type line. Written variants: other names, numbers and places."""

from __future__ import annotations

from kehoach_parser import parse_text

_WIDE_NUMBER = """\
  ỦY BAN NHÂN DÂN                       CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
    TỈNH NGHỆ AN                              Độc lập - Tự do - Hạnh phúc
 Số:   2715     /UBND-KT                  Nghệ An, ngày 14 tháng 3 năm 2026
V/v triển khai thực hiện
Thông tư số 21/2025/TT-BTC
ngày 09/02/2025 của Bộ Tài chính
về quản lý tài sản công
                   Kính gửi:
                                   - Các sở, ban, ngành cấp tỉnh;
                                   - Ủy ban nhân dân các xã, phường.
       Thực hiện Thông tư số 21/2025/TT-BTC, Chủ tịch Ủy ban nhân dân tỉnh giao:
       1. Sở Tài chính chủ trì hướng dẫn thực hiện.
       2. Ủy ban nhân dân các xã, phường triển khai thực hiện./.
Nơi nhận:                                               KT. CHỦ TỊCH
- Như trên;                                             PHÓ CHỦ TỊCH
- Lưu: VT, KT.
                                                         Trần Văn Hùng
"""


def test_number_spread_by_wide_blanks_is_one_number_line() -> None:
    m = parse_text(_WIDE_NUMBER).metadata
    assert (m.number, m.symbol, m.identifier) == ("2715", "UBND-KT", "2715/UBND-KT")
    assert m.issuer == "Ủy ban nhân dân tỉnh Nghệ An"
    assert (m.date.year, m.date.month, m.date.day) == (2026, 3, 14)


def test_subject_wrapped_onto_a_line_opening_with_a_date_stays_whole() -> None:
    m = parse_text(_WIDE_NUMBER).metadata
    assert m.title == ("triển khai thực hiện Thông tư số 21/2025/TT-BTC ngày 09/02/2025 của Bộ "
                       "Tài chính về quản lý tài sản công")


def test_a_body_sentence_opening_with_a_date_still_ends_the_header() -> None:
    text = _WIDE_NUMBER.replace(
        "       Thực hiện Thông tư số 21/2025/TT-BTC, Chủ tịch",
        "Ngày 05/3/2026, Bộ Tài chính có văn bản hướng dẫn; Chủ tịch")
    doc = parse_text(text)
    assert doc.metadata.title is not None and "Ngày 05/3/2026" not in doc.metadata.title
    assert "Ngày 05/3/2026, Bộ Tài chính" in doc.text


_DOCX_CELLS = """\
[Bản trích chữ tự động (docx) từ CV-402-BXD-QLN.docx — 310 đoạn, chuẩn hóa Unicode NFC.]

BỘ XÂY
DỰNG
------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 402/BXD-QLN
V/v hướng dẫn phát triển nhà ở xã hội | Hà Nội, ngày 21 tháng 01 năm 2026

Kính gửi: | - Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.

Bộ Xây dựng đề nghị Ủy ban nhân dân các tỉnh, thành phố thực hiện các nhiệm vụ sau:
\t1. Rà soát quỹ đất phát triển nhà ở xã hội.
\t2. Báo cáo kết quả về Bộ Xây dựng./.

Nơi nhận:
- Như trên;
- Văn phòng Chính phủ;
- Lưu: VT, QLN. | KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Lê Minh Quân
"""


def test_docx_cells_on_one_line_are_read_as_columns() -> None:
    m = parse_text(_DOCX_CELLS).metadata
    assert m.issuer == "Bộ Xây dựng"
    assert (m.number, m.symbol) == ("402", "BXD-QLN")
    assert m.title == "hướng dẫn phát triển nhà ở xã hội"
    assert m.place == "Hà Nội"
    assert (m.date.year, m.date.month, m.date.day) == (2026, 1, 21)
    assert m.locality.level == "central"
    assert m.recipients[0] == "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương"
    assert "|" not in m.recipients


def test_docx_signer_name_on_its_own_line_under_the_position() -> None:
    s = parse_text(_DOCX_CELLS).metadata.signer
    assert (s.name, s.position, s.capacity) == ("Lê Minh Quân", "Thứ trưởng", "KT. Bộ trưởng")


_WRAPPED_MOTTO = """\
UBND TỈNH THÁI NGUYÊN                   CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT
BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP                          NAM
                                                 Độc lập - Tự do - Hạnh phúc
      Số: 42    /QĐ-BQLKCN
                                            Thái Nguyên, ngày 08 tháng 4 năm 2026

                               QUYẾT ĐỊNH
    Về việc thành lập Tổ công tác hỗ trợ nhà đầu tư

   TRƯỞNG BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP TỈNH THÁI NGUYÊN

        Căn cứ Luật Đầu tư ngày 17/6/2020;
                                  QUYẾT ĐỊNH:
        Điều 1. Thành lập Tổ công tác hỗ trợ nhà đầu tư.
        Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.
 Nơi nhận:                                           TRƯỞNG BAN
 - Như Điều 2;
 - Lưu VT.
                                                       Phạm Quốc Toản
"""


def test_motto_wrapped_before_its_last_word_still_opens_the_header() -> None:
    m = parse_text(_WRAPPED_MOTTO).metadata
    assert m.issuer == "Ban Quản lý các khu công nghiệp tỉnh Thái Nguyên"
    assert (m.doc_type, m.number, m.symbol) == ("QĐ", "42", "QĐ-BQLKCN")
    assert (m.signer.name, m.signer.position) == ("Phạm Quốc Toản", "Trưởng ban")


_OCR_PARTY = """\
TỈNH ỦY HÀ TĨNH ĐẢNG CỘNG SẢN VIỆT NAM
*
Số 17 -NQ/TU Hà Tĩnh, ngày 12 tháng 11 năm 2025

NGHỊ QUYẾT
CỦA BAN THƯỜNG VỤ TỈNH ỦY
về phát triển kinh tế biển

I. QUAN ĐIỂM, MỤC TIÊU
1. Phát triển kinh tế biển bền vững.
II. TỔ CHỨC THỰC HIỆN
1. Các cấp ủy quán triệt Nghị quyết này.

Nơi nhận: T/M BAN THƯỜNG VỤ
- Các đ/c Ủy viên BTV Tỉnh ủy, PHÓ BÍ THƯ THƯỜNG TRỰC
- Các Đảng ủy trực thuộc Tỉnh ủy,
- Lưu Văn phòng Tỉnh ủy.

Võ Minh Khang
"""


def test_party_resolution_title_leaves_the_adopting_body_with_the_type() -> None:
    m = parse_text(_OCR_PARTY).metadata
    assert m.title == "về phát triển kinh tế biển"
    assert (m.doc_type, m.identifier, m.issuer) == ("NQ", "17-NQ/TU", "Tỉnh ủy Hà Tĩnh")


def test_ocr_line_with_the_recipients_label_and_the_capacity() -> None:
    m = parse_text(_OCR_PARTY).metadata
    assert (m.signer.name, m.signer.on_behalf_of) == ("Võ Minh Khang", "TM. Ban thường vụ")
    assert "Các Đảng ủy trực thuộc Tỉnh ủy" in m.recipients
    assert not any("BAN THƯỜNG VỤ" in r or "Võ Minh Khang" in r for r in m.recipients)


def test_a_title_that_opens_with_cua_in_lower_case_is_kept() -> None:
    text = _OCR_PARTY.replace("CỦA BAN THƯỜNG VỤ TỈNH ỦY\nvề phát triển kinh tế biển",
                              "Của Ban Thường vụ Tỉnh ủy về phát triển kinh tế biển")
    assert parse_text(text).metadata.title == (
        "Của Ban Thường vụ Tỉnh ủy về phát triển kinh tế biển")


_OCR_MINISTRY = """\
Ký bởi: BỘ XÂY DỰNG
Thời gian ký: 11/03/2026 09:12:40 +07:00

BỘ XÂY DỰNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: Z41Ø/BXD-QLN Hà Nội, ngày / tháng 3 năm 2026

V/v triển khai Nghị định số 95/2026/NĐ-CP
về phát triển nhà ở xã hội

Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.

Bộ Xây dựng đề nghị Ủy ban nhân dân các tỉnh, thành phố thực hiện các nhiệm vụ sau:

I. Tổ chức phổ biến nội dung của Nghị định số 95/2026/NĐ-CP tới các cơ
quan, đơn vị có liên quan.

2. Rà soát quỹ đất dành cho nhà ở xã hội trên địa bàn.

3. Báo cáo kết quả thực hiện về Bộ Xây dựng trước ngày 30/6/2026.

Nơi nhận:
- Như trên;
- Lưu: VT, QLN.

KT. BỘ TRƯỞNG
THỨ TRƯỞNG

Hoàng Minh Sơn
"""


def test_ocr_number_line_is_still_the_number_line_and_warned() -> None:
    doc = parse_text(_OCR_MINISTRY)
    m = doc.metadata
    assert m.issuer == "Bộ Xây dựng"
    assert (m.number, m.identifier) == (None, None)
    assert any("number line could not be read" in w for w in doc.warnings)


def test_slash_for_an_unreadable_day_leaves_the_day_blank() -> None:
    m = parse_text(_OCR_MINISTRY).metadata
    assert m.place == "Hà Nội"
    assert (m.date.year, m.date.month, m.date.day) == (2026, 3, None)


def test_ocr_roman_one_before_item_two_is_item_one() -> None:
    sections = parse_text(_OCR_MINISTRY).sections
    assert [s.number for s in sections] == ["1", "2", "3"]
    assert sections[0].title.startswith("Tổ chức phổ biến nội dung")
    assert sections[0].span[1] <= sections[1].span[0]


def test_roman_one_stays_a_part_when_a_part_two_follows_or_it_is_in_capitals() -> None:
    with_two = _OCR_MINISTRY.replace("3. Báo cáo kết quả", "II. Báo cáo kết quả")
    assert [s.number for s in parse_text(with_two).sections] == ["I", "II"]
    caps = _OCR_MINISTRY.replace("I. Tổ chức phổ biến nội dung của Nghị định số 95/2026/NĐ-CP tới"
                                 " các cơ\nquan, đơn vị có liên quan.", "I. MỤC ĐÍCH, YÊU CẦU")
    first = parse_text(caps).sections[0]
    assert (first.number, first.title) == ("I", "MỤC ĐÍCH, YÊU CẦU")


def test_legacy_font_look_alike_of_u_horn_is_read_as_u_horn() -> None:
    text = _WIDE_NUMBER.replace("Bộ Tài chính", "Bộ Công Thƣơng").replace("triển khai", "hƣớng dẫn")
    doc = parse_text(text)
    assert "ƣ" not in doc.text
    assert doc.metadata.title is not None and doc.metadata.title.startswith("hướng dẫn")
    assert len(doc.text) > 0 and "Bộ Công Thương" in doc.text


_TWO_BODIES = """\
[Trích xuất text từ bản PDF ký số BC 118/BC-SXD.]

===== TRANG 1 =====
ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ
SỞ XÂY DỰNG
–––––––––––
CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 118/BC-SXD
Quảng Trị, ngày 02 tháng 7 năm 2026
BÁO CÁO
Kết quả thực hiện kế hoạch phát triển nhà ở năm 2026
Thực hiện Kế hoạch số 45/KH-UBND ngày 10/02/2026 của Ủy ban nhân dân tỉnh về
phát triển nhà ở trên địa bàn tỉnh năm 2026, trên cơ sở báo cáo của các sở, ban,
ngành và Ủy ban nhân dân các xã, phường, Sở Xây dựng tổng hợp báo cáo kết quả
thực hiện một số nội dung như sau:
I. KẾT QUẢ THỰC HIỆN
1. Đánh giá công tác chỉ đạo, điều hành việc phát triển nhà ở trên địa bàn tỉnh
trong sáu tháng đầu năm 2026 và những khó khăn, vướng mắc trong quá trình
triển khai thực hiện các dự án nhà ở xã hội, nhà ở thương mại.
"""


def test_superior_and_issuer_joined_on_one_header_line_are_two_bodies() -> None:
    m = parse_text(_TWO_BODIES).metadata
    assert m.issuer == "Sở Xây dựng tỉnh Quảng Trị"
    assert (m.locality.name, m.locality.level) == ("Quảng Trị", "province")


def test_a_party_committee_of_a_body_stays_one_name() -> None:
    text = _TWO_BODIES.replace("ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\nSỞ XÂY DỰNG",
                               "ĐẢNG BỘ TỈNH QUẢNG TRỊ\nĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH")
    assert parse_text(text).metadata.issuer == "Đảng ủy Ủy ban nhân dân tỉnh Quảng Trị"


_BOLD_PARAGRAPHS = """\
ỦY BAN NHÂN DÂN

**TỈNH KHÁNH HÒA**

Số: 77/KH-UBND

**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**

**Độc lập - Tự do - Hạnh phúc**

Khánh Hòa, ngày 04 tháng 5 năm 2026

**KẾ HOẠCH**

**Triển khai công tác phòng, chống thiên tai năm 2026,**

**Quyết định số 12/QĐ-BNNMT ngày 03/01/2026 của Bộ Nông nghiệp và**

**Môi trường trên địa bàn tỉnh Khánh Hòa**

Thực hiện Quyết định số 12/QĐ-BNNMT ngày 03/01/2026 của Bộ Nông nghiệp và Môi trường.

**I. MỤC ĐÍCH, YÊU CẦU**

1. Chủ động phòng, chống thiên tai.
"""


def test_bold_title_written_one_paragraph_a_line_is_one_title() -> None:
    m = parse_text(_BOLD_PARAGRAPHS).metadata
    assert m.title == ("Triển khai công tác phòng, chống thiên tai năm 2026, Quyết định số "
                       "12/QĐ-BNNMT ngày 03/01/2026 của Bộ Nông nghiệp và Môi trường trên địa "
                       "bàn tỉnh Khánh Hòa")


def test_bold_title_paragraph_ending_a_sentence_is_not_run_on() -> None:
    text = _BOLD_PARAGRAPHS.replace("năm 2026,**", "năm 2026.**")
    assert parse_text(text).metadata.title == (
        "Triển khai công tác phòng, chống thiên tai năm 2026.")


def test_a_city_whose_name_ends_in_a_body_word_is_not_cut() -> None:
    text = _TWO_BODIES.replace("ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ\nSỞ XÂY DỰNG",
                               "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG\nSỞ XÂY DỰNG").replace(
                                   "Quảng Trị, ngày", "Hải Phòng, ngày")
    m = parse_text(text).metadata
    assert m.issuer == "Sở Xây dựng thành phố Hải Phòng"
    assert (m.locality.name, m.locality.level) == ("Hải Phòng", "province")


def test_party_programme_type_line_is_the_whole_type() -> None:
    text = """\
THÀNH ỦY HẢI PHÒNG
*
Số         -CTr/TU

ĐẢNG CỘNG SẢN VIỆT NAM

Hải Phòng, ngày        tháng 9 năm 2026

CHƯƠNG TRÌNH HÀNH ĐỘNG
thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị
về đột phá phát triển khoa học, công nghệ

I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích.
"""
    m = parse_text(text).metadata
    assert (m.doc_type, m.number, m.symbol) == ("CTr", None, "CTr/TU")
    assert m.title == ("thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về "
                       "đột phá phát triển khoa học, công nghệ")
    assert (m.date.year, m.date.month, m.date.day) == (2026, 9, None)


_MD_NUMBER_CELL = """\
|
**ỦY BAN NHÂN DÂN**
TỈNH QUẢNG BÌNH
--------
|
**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số:
1457/QĐ-UBND
|
*Quảng Bình, ngày 03 tháng 4 năm 2026*
|

**QUYẾT ĐỊNH**

VỀ VIỆC BAN HÀNH KẾ HOẠCH PHÁT TRIỂN DU LỊCH NĂM 2026

**ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH**

*Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;*

**QUYẾT ĐỊNH:**

**Điều 1.** Ban hành kèm theo Quyết định này Kế hoạch phát triển du lịch năm 2026.

**Điều 2.** Quyết định này có hiệu lực kể từ ngày ký./.
"""


def test_number_label_alone_in_a_markdown_cell_takes_the_next_line() -> None:
    doc = parse_text(_MD_NUMBER_CELL, format="markdown")
    m = doc.metadata
    assert (m.doc_type, m.number, m.identifier) == ("QĐ", "1457", "1457/QĐ-UBND")
    assert m.issuer == "Ủy ban nhân dân tỉnh Quảng Bình"  # no number run into the issuer
    assert m.locality.name == "Quảng Bình" and m.locality.level == "province"
    assert not doc.warnings


def test_number_label_alone_before_a_legal_documents_number_with_its_year() -> None:
    text = _MD_NUMBER_CELL.replace("1457/QĐ-UBND", "23/2026/QĐ-UBND")
    m = parse_text(text, format="markdown").metadata
    assert (m.number, m.identifier) == ("23", "23/2026/QĐ-UBND")
    assert m.issuer == "Ủy ban nhân dân tỉnh Quảng Bình"


def test_number_label_alone_before_a_line_of_words_stays_alone() -> None:
    text = _MD_NUMBER_CELL.replace("1457/QĐ-UBND", "Quảng Bình")
    m = parse_text(text, format="markdown").metadata
    assert m.number is None and m.identifier is None


_CV_TYPE_LOOKALIKE = """\
BỘ TÀI CHÍNH                              CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
CỤC HẢI QUAN                                   Độc lập - Tự do - Hạnh phúc
Số: 2214/CT-GSQL                          Hà Nội, ngày 07 tháng 5 năm 2026
V/v hướng dẫn thủ tục tạm nhập tái xuất
                 Kính gửi: Chi cục Hải quan khu vực II.
     Cục Hải quan nhận được công văn số 118/HQKV2-NV ngày 02/4/2026. Về vấn đề này,
Cục Hải quan có ý kiến như sau: đề nghị Chi cục thực hiện theo quy định./.
Nơi nhận:                                          KT. CỤC TRƯỞNG
- Như trên;                                        PHÓ CỤC TRƯỞNG
- Lưu: VT.
                                                    Lê Minh Khoa
"""


def test_a_subject_line_makes_a_cong_van_even_when_the_symbol_reads_as_a_type() -> None:
    doc = parse_text(_CV_TYPE_LOOKALIKE)
    m = doc.metadata
    assert (m.doc_type, m.identifier) == ("CV", "2214/CT-GSQL")
    assert m.title == "hướng dẫn thủ tục tạm nhập tái xuất"
    assert any("CT-GSQL reads as a CT" in w for w in doc.warnings)  # the doubt is said


def test_without_a_subject_line_the_symbol_still_gives_the_type() -> None:
    text = _CV_TYPE_LOOKALIKE.replace("V/v hướng dẫn thủ tục tạm nhập tái xuất\n", "")
    doc = parse_text(text)
    assert doc.metadata.doc_type == "CT"
    assert not any("reads as a" in w for w in doc.warnings)
    plain = parse_text(_WIDE_NUMBER)  # "2715/UBND-KT" with a V/v line: no doubt to say
    assert plain.metadata.doc_type == "CV" and not any("reads as a" in w for w in plain.warnings)


_PLAN_SIGNED_BY_ISSUER = """\
ỦY BAN NHÂN DÂN                          CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUẢNG BÌNH                               Độc lập - Tự do - Hạnh phúc
Số: 1457/QĐ-UBND                        Quảng Bình, ngày 03 tháng 4 năm 2026

QUYẾT ĐỊNH
Ban hành Kế hoạch phát triển du lịch năm 2026

ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển du lịch năm 2026.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.

Nơi nhận:                                         KT. CHỦ TỊCH
- Như Điều 2;                                     PHÓ CHỦ TỊCH
- Lưu: VT.
                                                   Hồ Văn Lâm

KẾ HOẠCH
Phát triển du lịch năm 2026
(Kèm theo Quyết định số 1457/QĐ-UBND ngày 03/4/2026 của UBND tỉnh)

I. MỤC ĐÍCH, YÊU CẦU
Phát triển du lịch bền vững.
II. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch
Chủ trì tổ chức thực hiện Kế hoạch; tổng hợp, báo cáo kết quả./.
ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH
PHỤ LỤC
DANH MỤC CÁC SỰ KIỆN DU LỊCH NĂM 2026
"""


def test_a_plan_closing_with_its_issuers_name_alone_ends_there() -> None:
    doc = parse_text(_PLAN_SIGNED_BY_ISSUER)
    last = doc.sections[-1].children[-1]
    assert last.path == "II.1"
    assert "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH" not in doc.text[last.span[0]:last.span[1]]
    assert [a.name for a in doc.agencies] == ["Sở Văn hóa, Thể thao và Du lịch"]


def test_the_issuers_name_inside_the_body_is_not_a_closing() -> None:
    text = _PLAN_SIGNED_BY_ISSUER.replace("báo cáo kết quả./.\n", "báo cáo kết quả cho\n")
    doc = parse_text(text)
    last = doc.sections[-1].children[-1]
    assert "ỦY BAN NHÂN DÂN TỈNH QUẢNG BÌNH" in doc.text[last.span[0]:last.span[1]]


_MD_CLOSING_THEN_APPENDIX = """\
|
**ỦY BAN NHÂN
DÂN**
**TỈNH THANH HÓA**
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 1093/QĐ-UBND
|
*Thanh Hóa, ngày 12 tháng 3 năm 2026*
|

**QUYẾT ĐỊNH**
VỀ VIỆC PHÊ DUYỆT DANH MỤC CHỢ ĐẦU MỐI
TRÊN ĐỊA BÀN TỈNH THANH HÓA NĂM 2026
**ỦY BAN NHÂN DÂN TỈNH THANH HÓA**
*Căn cứ Luật Tổ chức chính
quyền địa phương ngày 16/6/2025; *
**QUYẾT ĐỊNH:**
**Điều 1. **Phê duyệt Danh mục chợ đầu mối (chi tiết tại Phụ lục).
**Điều 2. **Giám đốc Sở Công Thương chịu trách nhiệm thi hành Quyết định này./.
|
*Nơi nhận:*
- Như Điều 2;
- Lưu: VT.
|
**TM. ỦY BAN
NHÂN DÂN**
**KT. CHỦ TỊCH**
PHÓ CHỦ TỊCH
**Lê Văn Tùng**
|
**PHỤ LỤC**
DANH MỤC CHỢ ĐẦU MỐI
|
STT
|
Tên chợ
|
|
1
|
Chợ đầu mối nông sản phía Bắc
|
"""


def test_a_closing_of_cells_right_before_the_appendix_keeps_its_signer() -> None:
    """A saved page's closing block, cells between lone pipes, with the appendix and its
    table right after it: the signature is read; the authority line in bold capitals under
    the title is no part of the title."""
    m = parse_text(_MD_CLOSING_THEN_APPENDIX, format="markdown").metadata
    assert m.signer is not None
    assert (m.signer.name, m.signer.position, m.signer.capacity) == (
        "Lê Văn Tùng", "Phó Chủ tịch", "KT. Chủ tịch")
    assert m.title == "PHÊ DUYỆT DANH MỤC CHỢ ĐẦU MỐI TRÊN ĐỊA BÀN TỈNH THANH HÓA NĂM 2026"
    assert m.recipients == ["Như Điều 2", "Lưu: VT"]


_PAGE_FOOTER_AFTER_APPENDIX = """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN
Số: 512/QĐ-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Nghệ An, ngày 05 tháng 3 năm 2026

QUYẾT ĐỊNH
Phê duyệt danh mục chợ đầu mối năm 2026

Căn cứ Nghị định số 60/2024/NĐ-CP ngày 05/6/2024 của Chính phủ;

QUYẾT ĐỊNH:

Điều 1. Phê duyệt danh mục chợ đầu mối (Phụ lục kèm theo).

Điều 2. Giám đốc Sở Công Thương chịu trách nhiệm thi hành Quyết định này./.

Nơi nhận:
- Như Điều 2;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Nam

PHỤ LỤC
DANH MỤC CHỢ ĐẦU MỐI
1. Chợ đầu mối nông sản Vinh.
2. Chợ đầu mối thủy sản Cửa Lò.

Quyết định 512/QĐ-UBND năm 2026 phê duyệt danh mục chợ đầu mối
## Văn bản liên quan
Nghị định 13/2023/NĐ-CP về Bảo vệ dữ liệu cá nhân yêu cầu xác nhận sự đồng ý của thành viên.
"""


def test_a_saved_pages_footer_after_the_appendix_is_no_part_of_the_document() -> None:
    """After the appendix, the page restates the document's title ("Quyết định 512/QĐ-UBND
    năm 2026 …", type and number without "số"): the site's footer starts there, and the
    decree its notice names is no citation."""
    doc = parse_text(_PAGE_FOOTER_AFTER_APPENDIX, format="markdown")
    assert [c.identifier for c in doc.citations] == ["60/2024/NĐ-CP"]


def test_the_footer_after_an_appendix_table_of_cells_is_no_part_of_it() -> None:
    """The same with the appendix a table of cells between lone pipes: no cell holds the
    page's "## Văn bản liên quan" heading, so the table ends before the footer."""
    table = ("PHỤ LỤC\nDANH MỤC CHỢ ĐẦU MỐI\n|\nSTT\n|\nTên chợ\n|\n|\n1\n|\n"
             "Chợ đầu mối nông sản Vinh\n|\n")
    text = _PAGE_FOOTER_AFTER_APPENDIX.replace(
        "PHỤ LỤC\nDANH MỤC CHỢ ĐẦU MỐI\n1. Chợ đầu mối nông sản Vinh.\n"
        "2. Chợ đầu mối thủy sản Cửa Lò.\n\n", table)
    assert text != _PAGE_FOOTER_AFTER_APPENDIX
    doc = parse_text(text + "|\n35\n|\n", format="markdown")
    assert [c.identifier for c in doc.citations] == ["60/2024/NĐ-CP"]

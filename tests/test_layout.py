"""The layout stage: wrapped lines joined where the source wrapped them, markdown read as
markdown, tables as rows of cells, page furniture dropped, offsets kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_parser.layout import read_layout

WRAPS = [
    # crawled markdown: a paragraph hard-wrapped at ~80 columns, a heading across lines
    ("**II. NHIỆM\nVỤ TRỌNG TÂM**\n\nTăng cường công tác kiểm tra các cơ sở kinh doanh\n"
     "trên địa bàn tỉnh, xử lý nghiêm vi phạm.",
     ["II. NHIỆM VỤ TRỌNG TÂM",
      "Tăng cường công tác kiểm tra các cơ sở kinh doanh trên địa bàn tỉnh, xử lý nghiêm "
      "vi phạm."]),
    # a numbered heading cut at the line's end
    ("**3. Bộ Chỉ huy\nBộ đội Biên phòng tỉnh**\n\n- Chủ trì tuần tra.",
     ["3. Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "- Chủ trì tuần tra."]),
    # paragraphs of a saved page with no blank line between: a sentence end and a new one
    ("**Kính gửi:** Các sở\n\nNgày 02 tháng 3 năm 2027, Sở Tài chính đã có văn bản hướng"
     "\ndẫn; các đơn vị chưa thực hiện đúng yêu cầu đề ra;\nTheo đề nghị của Giám đốc Sở\n"
     "Nội vụ.",
     ["Kính gửi: Các sở", "Ngày 02 tháng 3 năm 2027, Sở Tài chính đã có văn bản hướng dẫn; "
      "các đơn vị chưa thực hiện đúng yêu cầu đề ra;", "Theo đề nghị của Giám đốc Sở Nội vụ."]),
    # an identifier cut at its hyphen
    ("Thực hiện Nghị định số 45/2027/NĐ-\nCP của Chính phủ.",
     ["Thực hiện Nghị định số 45/2027/NĐ-CP của Chính phủ."]),
    # a chapter's title on its own line
    ("Chương II\nQUYỀN VÀ NGHĨA VỤ\nĐiều 5. Quyền",
     ["Chương II QUYỀN VÀ NGHĨA VỤ", "Điều 5. Quyền"]),
    # a part's heading and its first point, two bold paragraphs: never one line
    ("**III. PHÂN\nCÔNG NHIỆM VỤ**\n\n**1.\nSở Tài chính**\n\na) Cân đối kinh phí.",
     ["III. PHÂN CÔNG NHIỆM VỤ", "1. Sở Tài chính", "a) Cân đối kinh phí."]),
    # one bold heading a saved page split into two bold paragraphs
    ("**4. Đề nghị Liên đoàn Lao động\ntỉnh, Hội Cựu chiến binh**\n\n**tỉnh và Hội Nông dân**",
     ["4. Đề nghị Liên đoàn Lao động tỉnh, Hội Cựu chiến binh tỉnh và Hội Nông dân"]),
    # a title in capitals over two lines, then the text under it
    ("**KẾ HOẠCH**\n\nPHÁT TRIỂN NÔNG NGHIỆP XANH GIAI ĐOẠN\n2027 - 2030\nCăn cứ Luật Trồng trọt;",
     ["KẾ HOẠCH", "PHÁT TRIỂN NÔNG NGHIỆP XANH GIAI ĐOẠN 2027 - 2030", "Căn cứ Luật Trồng trọt;"]),
]


@pytest.mark.parametrize(("raw", "lines"), WRAPS)
def test_wrapped_lines_are_joined(raw: str, lines: list[str]) -> None:
    layout = read_layout(raw)
    assert [layout.line_text(line) for line in layout.lines] == lines


def _pdftotext(paragraphs: list[str], width: int = 72) -> str:
    """Paragraphs laid out as pdftotext -layout does: an indented first line, the others at
    the margin, wrapped at ``width``."""
    out: list[str] = []
    for paragraph in paragraphs:
        line = "      "
        for word in paragraph.split():
            if len(line) + len(word) + 1 > width and line.strip():
                out.append(line.rstrip())
                line = ""
            line += word + " "
        out.append(line.rstrip())
    return "\n".join(out)


def test_text_laid_out_with_indented_paragraphs() -> None:
    paragraphs = [
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025; Nghị định số "
        "150/2025/NĐ-CP của Chính phủ quy định tổ chức các cơ quan chuyên môn thuộc Ủy ban "
        "nhân dân tỉnh và cấp xã.",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "1. Mục đích",
        "Tổ chức triển khai kịp thời, thống nhất các quy định của pháp luật. Phát huy vai "
        "trò chủ động của các cơ quan, đơn vị trong việc thực hiện nhiệm vụ được giao.",
    ] * 4
    layout = read_layout(_pdftotext(paragraphs))
    assert [layout.line_text(line) for line in layout.lines] == paragraphs


def test_indented_paragraphs_whose_first_lines_are_the_common_ones() -> None:
    """pdftotext of a page where most full lines open a paragraph (short paragraphs): the
    margin is still the least common indentation, so a wrapped item joins."""
    items = [f"{i}. Báo cáo chuyên đề số {i} về công tác chủ nhiệm lớp, bồi dưỡng học sinh "
             f"giỏi và phụ đạo học sinh yếu kém của các tổ chuyên môn trong năm học 2027 - "
             f"Trường THCS Hòa Bình thực hiện." for i in range(1, 13)]
    layout = read_layout(_pdftotext(items, width=70))
    assert [layout.line_text(line) for line in layout.lines] == items


def test_a_recipient_going_on_in_brackets_stays_in_the_closing_block() -> None:
    raw = ("Số: 45/TB-UBND\nTHÔNG BÁO\nVề việc lịch tiếp công dân\nNội dung thông báo.\n"
           "Nơi nhận:\n- Ban Tiếp công dân tỉnh;\n- Các phòng chuyên môn\n"
           "(niêm yết tại trụ sở);\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nTrần Văn Khoa")
    layout = read_layout(raw)
    tail = [(layout.line_text(line), line.zone) for line in layout.lines][-7:]
    assert all(zone == "closing" for _, zone in tail), tail


def test_markup_is_removed_and_bold_kept_as_a_cue() -> None:
    layout = read_layout("## **I. MỤC ĐÍCH**\n\n**1. Sở Y tế:** tổ chức \\*kiểm tra\\* "
                         "&amp; báo cáo")
    first, second = layout.lines
    assert layout.line_text(first) == "I. MỤC ĐÍCH" and first.bold and first.heading == 2
    assert layout.line_text(second) == "1. Sở Y tế: tổ chức *kiểm tra* & báo cáo"
    assert second.bold_end is not None
    assert layout.text[second.start : second.bold_end] == "1. Sở Y tế:"


def test_pipe_table_rows_have_cells() -> None:
    layout = read_layout("| TT | Chỉ tiêu | Năm 2027 |\n| --- | --- | --- |\n"
                         "| 1 | Tỷ lệ che phủ rừng | 45% |")
    rows = [line for line in layout.lines if line.kind == "row"]
    assert [[layout.text[s:e] for s, e in row.cells] for row in rows] == [
        ["TT", "Chỉ tiêu", "Năm 2027"], ["1", "Tỷ lệ che phủ rừng", "45%"]]


def test_cells_between_lone_pipes_are_rows() -> None:
    raw = ("**PHỤ LỤC**\n\n|\n**TT**\n|\n**Nhiệm vụ**\n|\n**Chủ trì**\n|\n|\n1\n|\nXây dựng cơ sở"
           "\ndữ liệu đất đai\n|\nSở Nông nghiệp và Môi trường\n|\n|\n2\n|\nSố hóa hồ sơ\n|\n"
           "Văn phòng UBND tỉnh\n|")
    layout = read_layout(raw)
    rows = [[layout.text[s:e] for s, e in line.cells]
            for line in layout.lines if line.kind == "row"]
    assert rows == [["TT", "Nhiệm vụ", "Chủ trì"],
                    ["1", "Xây dựng cơ sở dữ liệu đất đai", "Sở Nông nghiệp và Môi trường"],
                    ["2", "Số hóa hồ sơ", "Văn phòng UBND tỉnh"]]


def test_page_furniture_is_dropped_and_pages_counted() -> None:
    layout = read_layout("Tổ chức thực hiện các nhiệm vụ được\n\f  2\ngiao đúng tiến độ.\n\n"
                         "===== TRANG 3 =====\nKết thúc.")
    assert [layout.line_text(line) for line in layout.lines] == [
        "Tổ chức thực hiện các nhiệm vụ được giao đúng tiến độ.", "Kết thúc."]
    assert [line.page for line in layout.lines] == [1, 3]


def test_ocr_specks_are_not_text() -> None:
    layout = read_layout("Can cu Nghi dinh so 12/2027/ND-CP;\n       9   r       y   r\n"
                         "Dieu 1. Ban hanh")
    assert [layout.line_text(line) for line in layout.lines] == [
        "Can cu Nghi dinh so 12/2027/ND-CP;", "Dieu 1. Ban hanh"]


MARKUP = st.text(alphabet=st.sampled_from(list("ab ĐệỦ*_|#-\\&;[]()!`<>\n\f0123.:")), max_size=300)


@settings(max_examples=200, deadline=None)
@given(MARKUP)
def test_every_line_maps_back_into_the_raw_text(raw: str) -> None:
    layout = read_layout(raw)
    assert all(0 <= line.start <= line.end <= len(layout.text) for line in layout.lines)
    for line in layout.lines:
        s, e = layout.to_raw_span(line.span)
        assert 0 <= s <= e <= len(raw)
    starts = [line.start for line in layout.lines]
    assert starts == sorted(starts)


_VIETNAMESE = st.text(alphabet=st.sampled_from(
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY0123456789 ,.:;-()/%"
    "áàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    "ÁÀẢÃẠẮẰẲẴẶẤẦẨẪẬÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ“”–…"), max_size=80)


@given(_VIETNAMESE)
def test_fold_is_the_base_letters_in_lower_case(text: str) -> None:
    """fold (a table read by str.translate) gives what decomposing, dropping the marks and
    lowering gives, with "đ" as "d", and keeps the length."""
    import unicodedata

    from kehoach_parser.layout.cues import fold

    expected = "".join(c for c in unicodedata.normalize("NFD", text)
                       if not unicodedata.combining(c)).lower().replace("đ", "d")
    assert fold(text) == expected and len(fold(text)) == len(text)


def test_fold_keeps_the_length_of_text_it_cannot_decompose() -> None:
    from kehoach_parser.layout.cues import fold

    for text in ("e\u0301 rời", "İstanbul Ａ", "한국 Hà Nội"):  # a lone mark, İ, Hangul
        assert len(fold(text)) == len(text)
    assert fold("ＡＢ Đà") == "ａｂ da"


def test_a_range_cut_at_its_dash_by_the_wrap_goes_on() -> None:
    """A hard-wrapped page cut "tăng bình quân 08" / "- 10%/năm": the dash opens no bullet.
    Short items of a list that end in a number stay items."""
    filler = ("Phát triển vùng nguyên liệu tập trung gắn với chế biến sâu, nâng cao giá trị "
              "gia tăng của sản phẩm chủ lực trên địa bàn tỉnh Yên Bái trong giai đoạn mới ")
    words = (filler * 6).split()
    lines, line = [], ""
    for word in words:
        if len(line) + len(word) + 1 > 78:
            lines.append(line.rstrip())
            line = ""
        line += word + " "
    cut = "Tổng giá trị sản phẩm chè xuất khẩu đạt 42,5 triệu USD, tăng bình quân 08"
    raw = "\n".join([*lines, cut, "- 10%/năm. Thị trường chính: Nga, Pakistan.", "",
                     "- Số xã đạt chuẩn năm 2026: 12", "- 15 xã đạt chuẩn nâng cao."])
    texts = [read_layout(raw).line_text(line) for line in read_layout(raw).lines]
    assert any(t.endswith("tăng bình quân 08 - 10%/năm. Thị trường chính: Nga, Pakistan.")
               for t in texts), texts
    assert texts[-2:] == ["- Số xã đạt chuẩn năm 2026: 12", "- 15 xã đạt chuẩn nâng cao."]


@pytest.mark.parametrize("mark", ["+", "*"])
@pytest.mark.parametrize("words", [("cộng *một*", "cộng *một*"),
                                   ("Khi khai thác **khoáng sản**", "Khi khai thác **khoáng sản**"),
                                   ("NPV dương (> 0) *năm 2025*", "Tỷ lệ *đạt 90%*")])
def test_a_bullet_paragraph_is_read_where_it_is_written(mark: str, words: tuple[str, str]) -> None:
    """A paragraph opening with a "+"/"*" bullet (lists are not read as lists) has one "- "
    mark, and its words come from its own line, not from a later line with the same words."""
    first, second = words
    raw = f"**KẾ HOẠCH**\n\n{mark} {first}\n{mark} {second}\n\nHết.\n"
    lay = read_layout(raw)
    opening = next(line for line in lay.lines if lay.text[line.start:line.end].startswith("- "))
    text = lay.text[opening.start:opening.end]
    assert text == "- " + first.replace("*", "")
    start, end = lay.offsets.to_raw(opening.start), lay.offsets.to_raw_end(opening.end)
    assert raw.index(f"{mark} {first}") == start  # the first line's own words
    assert end <= raw.index(f"\n{mark} {second}", start) + 1

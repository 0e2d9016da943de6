"""Resource limits: huge, long, inflating or deeply nested inputs are handled within bounds
or refused with a typed error; every limit can be raised."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from conftest import CORPUS
from kehoach_parser import LoadOptions, parse_file, parse_text
from kehoach_parser.errors import LimitExceededError
from kehoach_parser.sections import walk
from timing import growth


def test_100_mb_text_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)  # sparse: no 100 MB written to disk
    tracemalloc.start()
    with pytest.raises(LimitExceededError, match="max_chars") as caught:
        parse_file(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # not read: reading it would take 100 MB
    assert str(path) in str(caught.value)


def test_long_string_is_refused_and_the_limit_can_be_raised() -> None:
    text = "KẾ HOẠCH\nPhòng, chống mại dâm năm 2024\n" * 50
    with pytest.raises(LimitExceededError):
        parse_text(text, options=LoadOptions(max_chars=1000))
    assert parse_text(text, options=LoadOptions(max_chars=len(text))).text


def _many_pages(pages: int) -> bytes:
    source = pdfium.PdfDocument(CORPUS / "pdf" / "000_b57d673ba1927f7e.pdf")
    out = pdfium.PdfDocument.new()
    while len(out) < pages:
        out.import_pages(source)
    for index in range(len(out) - 1, pages - 1, -1):
        out.del_page(index)
    from io import BytesIO

    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def test_2000_page_pdf_is_refused_over_the_page_limit(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "long.pdf"
    path.write_bytes(_many_pages(2000))
    read: list[int] = []
    text_of = pdfium.PdfPage.get_textpage

    def counted(page: pdfium.PdfPage) -> pdfium.PdfTextPage:
        read.append(1)
        return text_of(page)

    monkeypatch.setattr(pdfium.PdfPage, "get_textpage", counted)
    with pytest.raises(LimitExceededError, match="max_pages"):
        parse_file(path, options=LoadOptions(max_pages=1000))
    assert read == []  # refused from the page count, before any page's text was read


@pytest.mark.slow  # writes and inflates a gigabyte
def test_docx_inflating_to_a_gigabyte_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(1024):
                member.write(block)
    assert path.stat().st_size < 20 * 1024 * 1024
    tracemalloc.start()
    with pytest.raises(LimitExceededError):
        parse_file(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 64 * 1024 * 1024


def _nested(scale: int) -> str:
    lines = ["I. NHIỆM VỤ"]
    lines += [" " * (2 * depth) + "- mục con cấp " + str(depth) for depth in range(1000 * scale)]
    number = "1"
    for _ in range(150 * scale):
        lines.append(f"{number}. Nội dung")
        number += ".1"
    lines += ["(" * 2500 * scale + "a" + ")" * 2500 * scale, "a) b) c) " * 1000 * scale]
    return "\n".join(lines)


@pytest.mark.slow
def test_deeply_nested_lists_stay_bounded() -> None:
    doc = parse_text(_nested(2))
    depth = max(s.level for s in walk(doc.sections))
    assert depth <= 8
    # Linear: a character of the twice-as-deep text (4 times as long) costs what one of the
    # shallow text does (quadratic work would make it cost 4 times as much).
    assert growth(parse_text, _nested(1), _nested(2), repeat=2) < 2.0


_PLAN_HEAD = "KẾ HOẠCH\nTăng cường công tác quản lý năm 2031\nI. MỤC TIÊU\n"


@pytest.mark.slow
@pytest.mark.parametrize("unit", [
    "Quyết định số 7/QĐ-UBND, ",  # one line of thousands of citations, each looking back
    "- Đạt 85% số thôn.\n",  # thousands of alike targets, each matched to the catalogue
    "Công an tỉnh, ",  # one line of thousands of bodies
    "ô\t",  # one line of thousands of cells between tabs, each a column gap
    "\tdòng thụt vào bằng tab\n",  # thousands of lines that open with a tab
])
def test_repeated_shapes_cost_the_same_per_character(unit: str) -> None:
    """Linear: a character of a text four times as long costs what one of the short text
    does (work that looks back over the line, or over what came before, would make it cost
    about four times as much)."""
    assert growth(parse_text, _PLAN_HEAD + unit * 500, _PLAN_HEAD + unit * 2000,
                  repeat=3) < 2.0  # the least of three: a busy spell slows one, not all

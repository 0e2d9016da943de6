"""File loaders: routing by content, limits and typed errors, DOCX/DOC/PDF reading, legacy
encodings, and the committed PDF/DOCX renderings of the seeds."""

from __future__ import annotations

import difflib
import doctest
import importlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
import regex
from docx.shared import Pt
from hypothesis import given
from hypothesis import strategies as st

from conftest import CASES, CORPUS, SHARED
from kehoach_parser import data, errors
from kehoach_parser.loaders import Loaded, LoadOptions, blocks, legacy, load_file
from kehoach_parser.normalize import normalize

SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
LOADER_MODULES = ["", ".blocks", ".legacy", ".docx", ".doc", ".pdf", ".text", ".ocr"]


@pytest.mark.parametrize("name", LOADER_MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(f"kehoach_parser.loaders{name}")
    assert doctest.testmod(module).failed == 0


# Legacy encodings (data/legacy_encodings.toml) ------------------------------------------

LEGACY = data.load("legacy_encodings")


@pytest.mark.parametrize("encoding", legacy.ENCODINGS)
def test_legacy_entries_have_examples(encoding: str) -> None:
    entry = LEGACY[encoding]
    assert entry["examples"], f"{encoding} has no examples"
    assert entry["map"] and entry["fonts"] and entry["signature"]


@pytest.mark.parametrize(
    ("encoding", "mojibake", "unicode"),
    [(enc, moj, uni) for enc in legacy.ENCODINGS for moj, uni in LEGACY[enc]["examples"]],
)
def test_legacy_examples_convert(encoding: str, mojibake: str, unicode: str) -> None:
    assert legacy.to_unicode(mojibake, encoding) == unicode


@pytest.mark.parametrize("encoding", legacy.ENCODINGS)
def test_legacy_examples_are_detected(encoding: str) -> None:
    text = " ".join(moj for moj, _ in LEGACY[encoding]["examples"])
    assert legacy.detect(text) == encoding


@pytest.mark.parametrize("text", [
    "Ủy ban nhân dân tỉnh Lai Châu ban hành Kế hoạch phòng, chống mại dâm năm 2022.",
    "Copyright © 2024 ACME®. All rights reserved, café, naïve.",
])
def test_unicode_text_is_not_legacy(text: str) -> None:
    assert legacy.detect(text) is None


def test_legacy_map_keys_are_latin1() -> None:
    """Every key is what legacy bytes show when read as latin-1."""
    for encoding in legacy.ENCODINGS:
        for key in LEGACY[encoding]["map"]:
            key.encode("latin-1")


@pytest.mark.parametrize(("font", "expected"), [
    (".VnTime", ("tcvn3", False)), (".VnTimeH", ("tcvn3", True)),
    ("VNI-Times", ("vni", False)), ("Times New Roman", None), (None, None),
])
def test_font_encoding(font: str | None, expected: tuple[str, bool] | None) -> None:
    assert legacy.font_encoding(font) == expected


def test_unicode_run_in_old_font_is_left_alone() -> None:
    assert legacy.convert_run("Ủy ban nhân dân", ".VnTime") == ("Ủy ban nhân dân", None)
    assert legacy.convert_run("ñy ban", ".VnTimeH") == ("ỦY BAN", "tcvn3")


@pytest.mark.parametrize("encoding", legacy.ENCODINGS)
def test_text_file_in_legacy_encoding(tmp_path: Path, encoding: str) -> None:
    mojibake = "\n".join(moj for moj, _ in LEGACY[encoding]["examples"])
    path = tmp_path / "old.txt"
    path.write_bytes(mojibake.encode("latin-1"))
    loaded = load_file(path)
    assert loaded.encoding == encoding
    assert loaded.raw.split("\n") == [uni for _, uni in LEGACY[encoding]["examples"]]
    assert any("legacy" in w for w in loaded.warnings)


def test_text_without_diacritics_warns(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("UY BAN NHAN DAN TINH LAI CHAU\nSo: 12/KH-UBND\n" * 40, encoding="utf-8")
    loaded = load_file(path)
    assert any("diacritics" in w for w in loaded.warnings)
    assert "12/KH-UBND" in loaded.raw


# Layout cues: the layout stage's vocabulary (data/layout.toml) ---------------------------

CUES = data.load("layout")["cues"]


@pytest.mark.parametrize("name", ["motto", "motto_line2", "number", "recipients", "authority",
                                  "place_date"])
def test_header_and_signature_lines_are_layout(name: str) -> None:
    for example in CUES[name]["examples"]:
        if name == "recipients" and "gửi" in example:
            continue  # "Kính gửi" opens a công văn's body, not its closing block
        assert blocks.is_layout_line(example), example


@pytest.mark.parametrize("line", ["Căn cứ Luật Tổ chức chính quyền địa phương;",
                                  "1. Sở Y tế", "- Như trên;"])
def test_body_lines_are_not_layout(line: str) -> None:
    assert not blocks.is_layout_line(line)


def test_data_table_rows_and_layout_columns() -> None:
    cell = blocks.Para.plain
    data_table = blocks.Table([[[cell("TT")], [cell("Nhiệm vụ")], [cell("Người thực hiện")]],
                               [[cell("1")], [cell("Rà soát")], [cell("Vũ Việt Linh")]]])
    assert blocks.table_lines(data_table) == ["TT | Nhiệm vụ | Người thực hiện",
                                              "1 | Rà soát | Vũ Việt Linh"]
    signature = blocks.Table([[[cell("Nơi nhận:\n- Như trên;\n- Lưu: VT.")],
                               [cell("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", bold=True)]]])
    assert blocks.table_lines(signature) == ["Nơi nhận:", "- Như trên;", "- Lưu: VT.",
                                             "**KT. GIÁM ĐỐC**", "**PHÓ GIÁM ĐỐC**"]


@pytest.mark.parametrize(("runs", "line"), [
    ([("1. Sở Y tế", True)], "**1. Sở Y tế**"),
    ([("6. Sở Y tế: ", True), ("Tổ chức", False)], "**6. Sở Y tế:** Tổ chức"),
    ([("Căn cứ ", False), ("Luật", True), (" này", False)], "Căn cứ **Luật** này"),
    ([("  ", True), ("a)  Chỉ tiêu", False)], "a) Chỉ tiêu"),
    ([("# 1", False)], "＃ 1"),
])
def test_bold_markup(runs: list[tuple[str, bool]], line: str) -> None:
    assert blocks.para_lines(blocks.Para(runs)) == [line]


# Routing, limits and typed errors --------------------------------------------------------

def _docx_bytes(build: Any = None) -> bytes:
    document = docx.Document()
    document.add_paragraph("Số: 12/KH-UBND")
    if build is not None:
        build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_missing_directory_empty(tmp_path: Path) -> None:
    with pytest.raises(errors.FileMissingError):
        load_file(tmp_path / "nope.pdf")
    with pytest.raises(errors.NotAFileError):
        load_file(tmp_path)
    with pytest.raises(errors.EmptyInputError):
        load_file(_write(tmp_path, "empty.docx", b""))


def test_binary_and_undecodable_text(tmp_path: Path) -> None:
    with pytest.raises(errors.BinaryInputError):
        load_file(_write(tmp_path, "bin.txt", b"\x00\x01\x02\x03" * 100))
    with pytest.raises(errors.DecodingError):
        load_file(_write(tmp_path, "latin.txt", "Café crème brûlée, ".encode("latin-1") * 20))
    damaged = "Kế hoạch phòng, chống mại dâm ".encode() * 5 + b"\xff\xfe" + "Sở ".encode()
    with pytest.raises(errors.DecodingError):
        load_file(_write(tmp_path, "damaged.txt", damaged))


def test_unsupported_extension(tmp_path: Path) -> None:
    with pytest.raises(errors.UnsupportedFormatError):
        load_file(_write(tmp_path, "sheet.csv", b"a,b\n1,2\n"))


def test_truncated_and_garbage_pdf(tmp_path: Path) -> None:
    whole = (CORPUS / "pdf" / f"{SEEDS[4].stem}.pdf").read_bytes()
    with pytest.raises(errors.CorruptFileError) as caught:
        load_file(_write(tmp_path, "cut.pdf", whole[:200]))
    assert "cut.pdf" in str(caught.value)
    with pytest.raises(errors.CorruptFileError):
        load_file(_write(tmp_path, "noise.pdf", bytes(range(256)) * 8))


def test_encrypted_pdf() -> None:
    with pytest.raises(errors.EncryptedFileError) as caught:
        load_file(CASES / "files" / "encrypted.pdf")
    assert "encrypted.pdf" in str(caught.value)


def test_corrupt_docx(tmp_path: Path) -> None:
    whole = _docx_bytes()
    with pytest.raises(errors.CorruptFileError):
        load_file(_write(tmp_path, "cut.docx", whole[: len(whole) // 2]))
    broken = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document"})
    with pytest.raises(errors.CorruptFileError):
        load_file(_write(tmp_path, "broken.docx", broken))


def test_zip_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    bomb = _zip({"word/document.xml": b"<x/>", "word/media/fill.bin": bytes(30 * 1024 * 1024)})
    with pytest.raises(errors.LimitExceededError) as caught:
        load_file(_write(tmp_path, "bomb.docx", bomb))
    assert "zip bomb" in caught.value.problem
    small = LoadOptions(max_decompressed_bytes=1000)
    with pytest.raises(errors.LimitExceededError):
        load_file(_write(tmp_path, "plain.docx", _docx_bytes()), small)


def test_limits_can_be_raised(tmp_path: Path) -> None:
    pdf = CORPUS / "pdf" / f"{SEEDS[0].stem}.pdf"
    with pytest.raises(errors.LimitExceededError):
        load_file(pdf, LoadOptions(max_pages=2))
    with pytest.raises(errors.LimitExceededError):
        load_file(pdf, LoadOptions(max_bytes=1000))
    assert load_file(pdf, LoadOptions(max_pages=100)).pages == 10


def test_extension_lies_content_routes(tmp_path: Path) -> None:
    pdf = (CORPUS / "pdf" / f"{SEEDS[4].stem}.pdf").read_bytes()
    loaded = load_file(_write(tmp_path, "really-a-pdf.docx", pdf))
    assert loaded.format == "pdf"
    assert "does not match" in loaded.warnings[0]
    docx_file = load_file(_write(tmp_path, "really-a-docx.pdf", _docx_bytes()))
    assert docx_file.format == "docx" and "Số: 12/KH-UBND" in docx_file.raw


def test_extension_lies_content_unreadable(tmp_path: Path) -> None:
    workbook = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    with pytest.raises(errors.FormatMismatchError) as caught:
        load_file(_write(tmp_path, "sheet.docx", workbook))
    assert "Excel" in caught.value.problem
    with pytest.raises(errors.FormatMismatchError):
        load_file(_write(tmp_path, "notes.pdf", "Số: 12/KH-UBND\n".encode()))
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048)
    with pytest.raises(errors.FormatMismatchError):
        load_file(_write(tmp_path, "sheet.doc", ole + "Workbook".encode("utf-16-le") + bytes(2)))
    with pytest.raises(errors.CorruptFileError):
        load_file(_write(tmp_path, "cut.doc", ole))
    encrypted_ooxml = ole + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(errors.EncryptedFileError):
        load_file(_write(tmp_path, "secret.docx", encrypted_ooxml))


# DOCX ------------------------------------------------------------------------------------

def _plan_docx(document: Any) -> None:
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).paragraphs[0].add_run("ỦY BAN NHÂN DÂN TỈNH LÀO CAI").bold = True
    header.cell(0, 1).paragraphs[0].add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").bold = True
    header.cell(1, 0).paragraphs[0].text = "Số: 12/KH-UBND"
    header.cell(1, 1).paragraphs[0].text = "Lào Cai, ngày 27 tháng 5 năm 2026"
    heading = document.add_paragraph()
    heading.add_run("Sở Y tế:").bold = True
    heading.add_run(" Tổ chức tuyên truyền.")
    document.add_paragraph("Mục đích", style="List Number")
    document.add_paragraph("Yêu cầu", style="List Number")
    document.add_paragraph("Chỉ tiêu", style="List Bullet")
    targets = document.add_table(rows=2, cols=3)
    for k, text in enumerate(["TT", "Chỉ tiêu", "Năm 2026", "1", "Tỷ lệ", "60%"]):
        targets.cell(k // 3, k % 3).text = text
    old = document.add_paragraph().add_run("Uû ban nh©n d©n")
    old.font.name = ".VnTime"
    old.font.size = Pt(14)


def test_docx_order_numbering_bold_tables_legacy(tmp_path: Path) -> None:
    loaded = load_file(_write(tmp_path, "plan.docx", _docx_bytes(_plan_docx)))
    lines = loaded.raw.split("\n\n")
    assert lines[1:5] == ["**ỦY BAN NHÂN DÂN TỈNH LÀO CAI**", "Số: 12/KH-UBND",
                          "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**",
                          "Lào Cai, ngày 27 tháng 5 năm 2026"]
    assert "**Sở Y tế:** Tổ chức tuyên truyền." in lines
    assert "1. Mục đích" in lines and "2. Yêu cầu" in lines and "- Chỉ tiêu" in lines
    assert "1 | Tỷ lệ | 60%" in lines
    assert "Uỷ ban nhân dân" in lines
    assert any("TCVN3" in w for w in loaded.warnings)


def test_docx_footnotes_are_kept_apart() -> None:
    name = "541f682e_TB-tham-dinh-TKKT-dieu-chinh-thuy-dien-YenHa.docx"
    loaded = load_file(SHARED / "real" / name)
    assert any("footnote" in w for w in loaded.warnings)


# DOC -------------------------------------------------------------------------------------

REAL_DOC = SHARED / "real" / "52688fec_CV-tu-choi-TKBVTC-da-hoa-LangLanhII.doc"


def test_doc_through_antiword() -> None:
    assert shutil.which("antiword"), "antiword is missing: run scripts/setup-system.sh"
    loaded = load_file(REAL_DOC)
    lines = normalize(loaded.raw).text.split("\n")
    assert loaded.format == "doc"
    assert lines[:3] == ["UBND TỈNH LÀO CAI", "SỞ CÔNG THƯƠNG", "Số: /SCT - CN"]
    assert lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") < lines.index(
        "Lào Cai, ngày tháng 11 năm 2025")


def test_doc_without_converter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(errors.ConverterMissingError) as caught:
        load_file(REAL_DOC)
    assert "antiword" in caught.value.problem and ".docx" in caught.value.problem


def _fake_converter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """An 'antiword' that runs ``script`` (a shell script), and no LibreOffice."""
    converter = tmp_path / "antiword"
    converter.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    converter.chmod(0o755)
    monkeypatch.setattr(shutil, "which", lambda name: str(converter)
                        if name == "antiword" else None)


def test_doc_converter_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_converter(tmp_path, monkeypatch, "exec sleep 30")
    with pytest.raises(errors.LimitExceededError) as caught:
        load_file(REAL_DOC, LoadOptions(timeout=0.5))
    assert "LoadOptions.timeout" in caught.value.problem


def test_doc_converter_output_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_converter(tmp_path, monkeypatch, "exec yes '<para>a</para>'")
    with pytest.raises(errors.LimitExceededError) as caught:
        load_file(REAL_DOC, LoadOptions(max_chars=1000))
    assert "LoadOptions.max_chars" in caught.value.problem


def test_doc_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name in ("soffice", "libreoffice")
                        else real_which(name))
    damaged = REAL_DOC.read_bytes()
    cut = damaged[:512] + bytes(20000) + damaged[20512:]  # the Word stream zeroed
    with pytest.raises(errors.CorruptFileError) as caught:
        load_file(_write(tmp_path, "zeroed.doc", cut))
    assert "antiword" in caught.value.problem


# PDF -------------------------------------------------------------------------------------

SCAN = SHARED / "real" / "a94171b3_VD-BoCT-cap-GP-Cty-TQ.pdf"


def test_scan_without_ocr_is_typed() -> None:
    with pytest.raises(errors.NoTextLayer) as caught:
        load_file(SCAN)
    assert "OCR" in caught.value.problem and SCAN.name in str(caught.value)


def test_ocr_needs_tesseract(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(errors.NoTextLayer) as caught:
        load_file(SCAN, LoadOptions(ocr=True))
    assert "tesseract-ocr-vie" in caught.value.problem


@pytest.fixture(scope="module")
def rendered() -> dict[tuple[str, str], Loaded]:
    return {(seed.stem, fmt): load_file(CORPUS / fmt / f"{seed.stem}.{fmt}")
            for seed in SEEDS for fmt in ("pdf", "docx")}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_pdf_pages_and_cues(seed: Path, rendered: dict[tuple[str, str], Loaded]) -> None:
    loaded = rendered[(seed.stem, "pdf")]
    assert loaded.pages is not None and len(loaded.page_starts) == loaded.pages
    assert loaded.page_starts == sorted(set(loaded.page_starts)) and loaded.page_starts[0] == 0
    lines = loaded.raw.split("\n\n")
    assert not [line for line in lines if line.strip().isdigit()], "page numbers left"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_rendering_keeps_bold_cues(seed: Path, fmt: str,
                                   rendered: dict[tuple[str, str], Loaded]) -> None:
    """Every line the seed marks bold (headings) is (within) a bold line of the rendering:
    a title the seed breaks over lines may come back as one paragraph."""
    def bold_lines(raw: str) -> list[str]:
        norm = normalize(raw)
        return [norm.text[c.start : c.end] for c in norm.lines if c.bold]

    got = bold_lines(rendered[(seed.stem, fmt)].raw)
    missing = [line for line in bold_lines(seed.read_text(encoding="utf-8"))
               if not any(line in bold for bold in got)]
    assert not missing


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_rendering_reads_back_the_seed(seed: Path, fmt: str,
                                       rendered: dict[tuple[str, str], Loaded]) -> None:
    """Line for line the seed's normalized text. The only changes: the header lines the
    seeds lack (issuer, national motto) are added, and a title the seed breaks over lines
    may come back in one line (the same words)."""
    loaded = rendered[(seed.stem, fmt)]
    want = normalize(seed.read_text(encoding="utf-8")).text.split("\n")
    got = normalize(loaded.raw, loaded.page_starts).text.split("\n")
    gold = json.loads((SHARED / "gold" / f"{seed.stem}.json").read_text(encoding="utf-8"))
    issuer = gold["metadata"]["issuer"].upper()
    header = f"{issuer} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"
    matcher = difflib.SequenceMatcher(None, want, got, autojunk=False)
    added: list[str] = []
    for op, a, b, c, d in matcher.get_opcodes():
        if op == "insert":
            added.extend(got[c:d])
        elif op != "equal":
            assert " ".join(want[a:b]) == " ".join(got[c:d]), (want[a:b], got[c:d])
    assert " ".join(added) == header


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_rendering_header_order(seed: Path, fmt: str,
                                rendered: dict[tuple[str, str], Loaded]) -> None:
    lines = normalize(rendered[(seed.stem, fmt)].raw).text.split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("Số:"))
    motto = lines.index("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    date = next(i for i, line in enumerate(lines) if ", ngày" in line)
    assert lines[0] == "ỦY BAN NHÂN DÂN" and number < motto < date


def test_doc_falls_back_to_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    from kehoach_parser.loaders import doc

    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/soffice"
                        if name == "soffice" else None)
    monkeypatch.setattr(doc, "_soffice", lambda soffice, path, options: _docx_bytes())
    loaded = load_file(REAL_DOC)
    assert loaded.format == "doc" and loaded.raw == "Số: 12/KH-UBND"


# Properties --------------------------------------------------------------------------------

@given(st.lists(st.tuples(st.text(alphabet="ab \nĐủ-.", max_size=8), st.booleans()),
                max_size=6))
def test_markup_keeps_the_words(runs: list[tuple[str, bool]]) -> None:
    """Every line's marks are balanced, and removing them gives back the runs' text."""
    lines = blocks.para_lines(blocks.Para(runs))
    assert all(line.count("**") % 2 == 0 for line in lines)
    text = "".join(t for t, _ in runs)
    assert "".join(lines).replace("**", "").replace(" ", "") == \
        "".join(line.replace(" ", "") for line in text.split("\n")
                if not regex.fullmatch(r"[-.\s]{3,}", line.strip()))


def test_text_without_diacritics_keeps_identifier_and_date(tmp_path: Path) -> None:
    from kehoach_parser import parse_file

    path = tmp_path / "plain.txt"
    path.write_text("UY BAN NHAN DAN\nTINH LAI CHAU\nSo: 12/KH-UBND\n"
                    "CONG HOA XA HOI CHU NGHIA VIET NAM\nLai Chau, ngay 27 thang 5 nam 2026\n"
                    "KE HOACH\nPhong, chong mai dam nam 2026\n" + "Noi dung ke hoach.\n" * 60,
                    encoding="utf-8")
    metadata = parse_file(path).metadata
    assert metadata.identifier == "12/KH-UBND"
    assert metadata.date is not None
    assert (metadata.date.year, metadata.date.month, metadata.date.day) == (2026, 5, 27)

"""The PDF loader on small PDFs written by the tests (tests/pdf_support.py): text layers
judged page by page, read by OCR where asked; bounds on objects, forms, pixels, characters
and time, each ending in a typed error naming the file or a warning; linear time asserted
by ratios measured in one run."""

from __future__ import annotations

import gc
import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pdf_support as ps
from conftest import CORPUS
from kehoach_parser import data, parse_file
from kehoach_parser.errors import KehoachError, LimitExceededError, NoTextLayer
from kehoach_parser.loaders import LoadOptions, load_file
from kehoach_parser.loaders.ocr import render_scale
from kehoach_parser.loaders.text_layer import is_syllable, judge, rules

SEED_PDF = CORPUS / "pdf" / "004_d700597eb2073d9b.pdf"
# An English OCR engine's reading of a Vietnamese page (written for this test).
GARBAGE = ("S6 TAI NGUYEN VA MOI TRI.JONG | CQNG HOA XA HQI CHU NGHIA VIET NAM Kinh gfri: "
           "Gi6m d6c S& Tdi nguy6n vd M6i truimg tinh Y€n Bdi. NQi dung trinh: K6t qu6 th6m "
           "dfnh h6 so' cfp ph6p khai th6c khodng sdn lim vfit ligu xAy dpng th6ng thucrng "
           "tai x6 Vgn Phri, phucrng 6n dd dugc cic phdng chuy6n m6n g6p y d6y dri.")


def _ratio(large: Callable[[], Any], small: Callable[[], Any], repeat: int = 7) -> float:
    """Best CPU time of ``large`` over best CPU time of ``small``: timed in turn, in this
    process's CPU time (other processes on the machine do not count) and without the
    cyclic garbage collector (whose passes grow with whatever earlier tests left alive)."""
    best = [float("inf"), float("inf")]
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            for k, action in enumerate((large, small)):
                start = time.process_time()
                action()
                best[k] = min(best[k], time.process_time() - start)
    finally:
        if enabled:
            gc.enable()
    return best[0] / best[1]


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# The text-layer judge and its data (data/loader_cues.toml [text_layer]) ---------------------

TEXT_LAYER = data.load("loader_cues")["text_layer"]


@pytest.mark.parametrize("word", TEXT_LAYER["syllables"])
def test_syllable_examples_are_syllables(word: str) -> None:
    assert is_syllable(word)


@pytest.mark.parametrize("word", TEXT_LAYER["not_syllables"])
def test_non_syllable_examples_are_not(word: str) -> None:
    assert not is_syllable(word)


@pytest.mark.parametrize("key", ["initials", "vowels", "finals"])
def test_every_piece_of_the_syllable_is_used_by_an_example(key: str) -> None:
    """Each initial, vowel cluster and final is needed by one example syllable: dropping it
    from the pattern leaves some example unread."""
    import re

    from kehoach_parser.loaders.text_layer import _flat

    def pattern(pieces: dict[str, list[str]]) -> re.Pattern[str]:
        def alt(k: str) -> str:
            return "|".join(sorted(pieces[k], key=len, reverse=True))
        return re.compile(f"(?:{alt('initials')})?(?:{alt('vowels')})(?:{alt('finals')})?")

    words = [_flat(w).decode() for w in TEXT_LAYER["syllables"]]
    for piece in TEXT_LAYER[key]:
        pieces = {k: list(TEXT_LAYER[k]) for k in ("initials", "vowels", "finals")}
        pieces[key].remove(piece)
        shorter = pattern(pieces)
        assert any(not shorter.fullmatch(w) for w in words), (key, piece)


@pytest.mark.parametrize("page", TEXT_LAYER["page"], ids=lambda p: p["kind"])
def test_page_examples_are_judged_as_labelled(page: dict[str, str]) -> None:
    quality = judge(page["text"])
    assert quality.poor == (page["kind"] != "good")
    assert quality.unreadable == (page["kind"] == "unreadable")


def test_a_page_too_short_to_judge_is_not_poor() -> None:
    assert not judge("So cong ]'htjong | cqng hoa xa hqi").poor
    assert rules().min_letters > len("So cong htjong cqng hoa xa hqi")


def test_seed_pages_are_not_poor() -> None:
    import pypdfium2 as pdfium

    for path in sorted((CORPUS / "pdf").glob("*.pdf")):
        document = pdfium.PdfDocument(path)
        for index in range(len(document)):
            assert not judge(document[index].get_textpage().get_text_range()).poor, (path, index)


# Poor text layers (an English OCR layer over a Vietnamese scan) --------------------------


def test_poor_ocr_layer_is_warned_about(tmp_path: Path) -> None:
    lines = ps.paragraph_lines(GARBAGE)
    path = ps.save(tmp_path / "garbage.pdf", ps.text_pdf([lines, lines]))
    loaded = load_file(path)
    poor = [w for w in loaded.warnings if "poor OCR layer" in w]
    assert len(poor) == 1 and poor[0].startswith("pages 1–2: the text layer looks like a poor")
    assert "--ocr" in poor[0] and "LoadOptions(ocr=True)" in poor[0]
    assert "Vietnamese syllables" in poor[0]


def test_only_the_poor_page_is_named(tmp_path: Path) -> None:
    garbage = ps.text_pdf([ps.paragraph_lines(GARBAGE)])
    path = ps.save(tmp_path / "mixed.pdf", ps.with_pages_of(garbage, SEED_PDF, [0]))
    loaded = load_file(path)
    assert [w.split(":")[0] for w in loaded.warnings if "poor OCR" in w] == ["page 1"]
    assert "ỦY BAN NHÂN DÂN" in loaded.raw  # the good page is read from its text layer
    assert len(loaded.page_starts) == 2


def test_without_tesseract_a_poor_page_keeps_its_layer(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """OCR asked for, not installed: the good pages are read, the poor one is warned
    about; only a document with nothing else to read is refused."""
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    garbage = ps.text_pdf([ps.paragraph_lines(GARBAGE)])
    mixed = ps.save(tmp_path / "mixed.pdf", ps.with_pages_of(garbage, SEED_PDF, [0]))
    loaded = load_file(mixed, LoadOptions(ocr=True))
    assert any(w.startswith("page 1: not read by OCR") and "tesseract-ocr-vie" in w
               for w in loaded.warnings)
    with pytest.raises(NoTextLayer, match="Tesseract is not installed"):
        load_file(ps.save(tmp_path / "garbage.pdf", garbage), LoadOptions(ocr=True))


def test_good_pages_raise_no_doubt() -> None:
    assert not [w for w in load_file(SEED_PDF).warnings if "OCR" in w]


def test_scan_error_names_the_cli_option_and_the_python_one(tmp_path: Path) -> None:
    path = ps.save(tmp_path / "scan.pdf", ps.write_pdf([b""]))
    with pytest.raises(NoTextLayer) as caught:
        load_file(path)
    assert "--ocr" in caught.value.problem and "LoadOptions(ocr=True)" in caught.value.problem
    assert "scan.pdf" in str(caught.value)


@pytest.mark.slow  # OCR of a page
def test_poor_page_is_read_by_ocr_when_asked(tmp_path: Path) -> None:
    """A scan (a seed page as an image) under an invisible garbage text layer: with OCR
    the page is read from the image, Vietnamese and all."""
    image, draw = ps.scan_of(SEED_PDF)
    layer = ps.text_content(ps.paragraph_lines(GARBAGE), invisible=True)
    path = ps.save(tmp_path / "scan-with-layer.pdf", ps.write_pdf([draw + layer],
                                                                  images=[image]))
    assert "CQNG HOA" in load_file(path).raw
    loaded = load_file(path, LoadOptions(ocr=True))
    assert any("poor OCR layer" in w and "read by OCR" in w for w in loaded.warnings)
    assert "CQNG HOA" not in loaded.raw and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in loaded.raw


# OCR renders within a pixel budget -------------------------------------------------------


def test_render_scale_keeps_300_dpi_for_paper_sizes() -> None:
    assert render_scale(842, 1191, LoadOptions().max_ocr_pixels) == 300 / 72  # A3


def test_huge_page_is_rendered_within_the_pixel_budget(tmp_path: Path) -> None:
    """A 14,400-pt page (60,000 px square at 300 dpi: a MemoryError) is scaled down."""
    path = ps.save(tmp_path / "poster.pdf", ps.write_pdf([b""], size=(14_400.0, 14_400.0)))
    before = _peak_mib()
    loaded = load_file(path, LoadOptions(ocr=True, max_ocr_pixels=1_000_000))
    assert any("rendered for OCR at 5 dpi" in w and "max_ocr_pixels" in w
               for w in loaded.warnings), loaded.warnings
    assert _peak_mib() - before < 200


# Bounds: objects, forms, characters, time ------------------------------------------------


def _objects_pdf(objects: int) -> bytes:
    """One page of ``objects`` text objects, one short word each, ten to a line."""
    lines = [(40.0 + 52.0 * (k % 10), 20.0 + 6.0 * (k // 10), f"w{k % 97}")
             for k in range(objects)]
    return ps.write_pdf([ps.text_content(lines, 4.0)], size=(595.0, 40.0 + 6.0 * objects / 10))


def test_page_cost_is_linear_in_its_objects(tmp_path: Path) -> None:
    small = ps.save(tmp_path / "small.pdf", _objects_pdf(4000))
    large = ps.save(tmp_path / "large.pdf", _objects_pdf(8000))
    load_file(small)
    ratio = _ratio(lambda: load_file(large), lambda: load_file(small))
    assert ratio < 3.0, ratio


def test_too_many_text_objects_are_refused(tmp_path: Path) -> None:
    path = ps.save(tmp_path / "objects.pdf", _objects_pdf(3000))
    with pytest.raises(LimitExceededError, match="max_page_objects") as caught:
        load_file(path, LoadOptions(max_page_objects=2000))
    assert "objects.pdf" in str(caught.value) and "page 1 holds 3,000 text objects" in \
        caught.value.problem


@pytest.mark.slow  # 28 timed reads
def test_two_column_band_and_wrapped_column_are_linear(tmp_path: Path) -> None:
    """A header-like band of thousands of two-column rows (column alignment, joined
    lines): twice the rows, about twice the time."""
    def band(rows: int) -> bytes:
        lines: list[ps.Line] = [(40.0, 20.0 + 3.0 * rows, "KT. GIAM DOC"),
                                (400.0, 20.0 + 3.0 * rows, "PHO GIAM DOC")]
        for k in range(rows):
            lines += [(40.0, 20.0 + 3.0 * (rows - 1 - k), f"muc so {k} con tiep"),
                      (400.0, 20.0 + 3.0 * (rows - 1 - k), f"dong {k} noi tiep")]
        return ps.write_pdf([ps.text_content(lines, 2.0)], size=(595.0, 40.0 + 3.0 * rows))

    small = ps.save(tmp_path / "small.pdf", band(1500))
    large = ps.save(tmp_path / "large.pdf", band(3000))
    raw = load_file(small).raw
    assert raw.index("dong 0") > raw.index("muc so 1499")  # column by column
    ratio = _ratio(lambda: load_file(large), lambda: load_file(small))
    assert ratio < 3.0, ratio


def test_form_fan_out_is_refused_before_pdfium_builds_it(tmp_path: Path) -> None:
    """Forms drawing the next one twice, 20 deep: two million drawings (3 GB in pdfium)
    from 10 KB. Refused from the file's bytes, memory untouched."""
    path = ps.save(tmp_path / "fanout.pdf", ps.form_fanout_pdf(20))
    assert path.stat().st_size < 16_000
    before = _peak_mib()
    with pytest.raises(LimitExceededError, match="max_form_draws") as caught:
        parse_file(path)
    assert "fanout.pdf" in str(caught.value) and "page 1 draws forms" in caught.value.problem
    assert _peak_mib() - before < 200


def test_form_fan_out_with_shared_resources_is_refused(tmp_path: Path) -> None:
    """Resources written once and referred to (``/Resources 9 0 R``): the forms are read
    with pdfminer, with the same verdict."""
    path = ps.save(tmp_path / "shared.pdf", ps.form_fanout_pdf(20, shared_resources=True))
    with pytest.raises(LimitExceededError, match="max_form_draws") as caught:
        load_file(path)
    assert "shared.pdf" in str(caught.value)
    assert load_file(ps.save(tmp_path / "small.pdf",
                             ps.form_fanout_pdf(3, shared_resources=True))).raw


@pytest.mark.slow  # 28 timed reads
def test_many_form_names_are_read_in_linear_time(tmp_path: Path) -> None:
    """A file naming /Form thousands of times (no stream after any): twice the names,
    about twice the time, and a typed error at the end."""
    def names(count: int) -> bytes:
        body = b"".join(b"%d 0 obj << /Subtype /Form >> endobj\n" % k for k in range(1, count))
        return b"%PDF-1.4\n" + body

    small = ps.save(tmp_path / "small.pdf", names(3000))
    large = ps.save(tmp_path / "large.pdf", names(6000))

    def read(path: Path) -> None:
        with pytest.raises(KehoachError) as caught:
            load_file(path)
        assert path.name in str(caught.value)

    read(small)
    ratio = _ratio(lambda: read(large), lambda: read(small))
    assert ratio < 3.0, ratio


def test_form_fan_out_limit_can_be_raised(tmp_path: Path) -> None:
    path = ps.save(tmp_path / "fanout.pdf", ps.form_fanout_pdf(6))  # 126 drawings
    with pytest.raises(LimitExceededError):
        load_file(path, LoadOptions(max_form_draws=100))
    assert "Noi dung van ban lap lai" in load_file(path, LoadOptions(max_form_draws=200)).raw


def test_text_in_a_moved_form_is_placed_on_the_page(tmp_path: Path) -> None:
    """A form's objects have boxes in the form's space: the characters' boxes place them.
    The form's line is drawn 300 pt lower than written, below the page's own line."""
    form = ps.text_content([(60.0, 700.0, "Dong trong bieu mau")])
    page = b"q 1 0 0 1 0 -300 cm /X0 Do Q\n" + ps.text_content([(60.0, 500.0, "Dong cua trang")])
    path = ps.save(tmp_path / "form.pdf", ps.write_pdf([page], forms=[form]))
    raw = load_file(path).raw
    assert raw.index("Dong cua trang") < raw.index("Dong trong bieu mau")


def test_rotated_text_is_left_out(tmp_path: Path) -> None:
    stamp = b"BT /F1 11 Tf 0 1 -1 0 300 400 Tm (DA KY SO) Tj ET\n"
    body = ps.text_content(ps.paragraph_lines("Noi dung van ban " * 20))
    path = ps.save(tmp_path / "stamp.pdf", ps.write_pdf([stamp + body]))
    raw = load_file(path).raw
    assert "Noi dung" in raw and "DA KY SO" not in raw


def test_characters_are_counted_while_reading(tmp_path: Path) -> None:
    lines = ps.paragraph_lines("Noi dung van ban ke hoach " * 80)
    path = ps.save(tmp_path / "long.pdf", ps.text_pdf([lines] * 4))
    with pytest.raises(LimitExceededError, match="max_chars") as caught:
        load_file(path, LoadOptions(max_chars=3000))
    assert "long.pdf" in str(caught.value)
    assert int(caught.value.problem.split()[1]) < 3 * 2000  # refused at page 2, not after


def test_time_bound_outside_batch(tmp_path: Path) -> None:
    path = ps.save(tmp_path / "plan.pdf", ps.text_pdf([ps.paragraph_lines("Noi dung " * 50)]))
    with pytest.raises(LimitExceededError, match="max_seconds") as caught:
        parse_file(path, options=LoadOptions(max_seconds=0))
    assert "plan.pdf" in str(caught.value) and "page 1" in caught.value.problem
    assert parse_file(path, options=LoadOptions(max_seconds=60)).text

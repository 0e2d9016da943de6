"""Hostile and odd inputs to the loaders and the parser: each ends in a typed error naming
the file, a warning, or a clean result, within bounded time and memory; never a traceback
or an output that fails the schema."""

from __future__ import annotations

import json
import math
import os
import resource
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, ROOT, SHARED
from hostile_support import PLAN, docx_with, list_definition, numbered
from kehoach_parser import KehoachError, LoadOptions, PlanDocument, parse_file, parse_text
from kehoach_parser.errors import FormatMismatchError, LimitExceededError
from kehoach_parser.loaders import load_file
from kehoach_parser.loaders.docx import _format
from kehoach_parser.schema import SCHEMA_FILENAME
from kehoach_parser.store import Store, document_rows

SCHEMA = json.loads((ROOT / "schemas" / SCHEMA_FILENAME).read_text(encoding="utf-8"))
HEAD = "KẾ HOẠCH\nPhòng, chống mại dâm năm 2024\nI. MỤC TIÊU\n"


def _valid(document: PlanDocument) -> dict[str, object]:
    """The document's JSON, checked against the committed schema and read back."""
    data: dict[str, object] = json.loads(document.model_dump_json())
    jsonschema.validate(data, SCHEMA)
    PlanDocument.model_validate(data)
    return data


# Numbers -----------------------------------------------------------------------------------

@pytest.mark.parametrize("digits", [4301, 5000, 20000])
def test_a_fraction_of_thousands_of_digits_is_not_a_target(digits: int) -> None:
    text = HEAD + f"- {'1' * digits}/{'2' * digits} xã đạt chuẩn\n- 3/4 xã đạt chuẩn\n"
    document = parse_text(text)
    _valid(document)
    # the real share is still read: a count, the value as printed (issue 13)
    assert [(t.value, t.unit) for t in document.targets] == [(3, "count")]


@pytest.mark.parametrize("written", ["9" * 309, "9" * 400, "1" + ".000" * 120, "9" * 16])
def test_a_number_too_long_to_be_a_quantity_is_not_read(written: str) -> None:
    document = parse_text(HEAD + f"- {written}% xã đạt chuẩn\n- 70% phường đạt chuẩn\n")
    data = _valid(document)
    assert [t.value for t in document.targets] == [70]
    assert '"value": null' not in json.dumps(data)


def test_the_longest_number_read_is_exact_and_finite() -> None:
    document = parse_text(HEAD + "- Huy động 999.999.999.999.999 đồng\n")
    assert [t.value for t in document.targets] == [999_999_999_999_999]


def test_no_number_in_the_store_is_infinite() -> None:
    text = HEAD + "".join(f"- {'9' * n}% xã đạt chuẩn\n" for n in (15, 16, 308, 309, 310))
    document = parse_text(text)
    with Store(":memory:") as store:
        store.replace({"a.txt": document_rows(document, "a.txt", "a.txt.json")})
        values = store.query("SELECT value FROM targets").rows
    assert values and all(math.isfinite(value) for (value,) in values)


# Lone surrogates ---------------------------------------------------------------------------

def test_lone_surrogates_in_a_string_are_replaced_with_a_warning() -> None:
    text = HEAD + "- 70% xã \ud800 đạt chuẩn \udcff\n"
    document = parse_text(text)
    _valid(document)
    replaced = parse_text(text.replace("\ud800", "\ufffd").replace("\udcff", "\ufffd"))
    assert document.text == replaced.text  # one character for one: offsets unchanged
    assert [t.span for t in document.targets] == [t.span for t in replaced.targets]
    assert set(document.warnings) - set(replaced.warnings) == {
        "2 lone surrogate code point(s) (not valid Unicode) replaced by U+FFFD"}


def test_a_docx_symbol_that_is_a_lone_surrogate_is_replaced(tmp_path: Path) -> None:
    sym = '<w:p><w:r><w:t>Kế hoạch số 5 </w:t><w:sym w:font="Symbol" w:char="D800"/></w:r></w:p>'
    path = tmp_path / "sym.docx"
    path.write_bytes(docx_with(sym))
    document = parse_file(path)
    _valid(document)
    assert any("surrogate" in w for w in document.warnings)


# DOCX --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "fmt", "label"), [
    (10**13, "upperRoman", "10000000000000"), (3999, "upperRoman", "MMMCMXCIX"),
    (4000, "lowerRoman", "4000"), (28, "lowerLetter", "ab"), (10**13, "upperLetter", "AUWAGIGNGJ"),
])
def test_list_labels_of_huge_numbers(value: int, fmt: str, label: str) -> None:
    assert _format(value, fmt) == label


@pytest.mark.parametrize(("start", "first", "second"), [
    ("9999999999", "9999999999. Nội dung", "10000000000. Nội dung"),  # the largest w:start
    ("10000000000000", "I. Nội dung", "II. Nội dung"),  # no 32-bit number: Word's default
])
def test_a_list_starting_at_a_huge_number_reads_at_once(tmp_path: Path, start: str, first: str,
                                                         second: str) -> None:
    path = tmp_path / "start.docx"
    path.write_bytes(docx_with(numbered("Nội dung") * 3, list_definition("upperRoman", start)))
    assert load_file(path).raw.split("\n\n")[:2] == [first, second]  # the labels as read


@pytest.mark.parametrize("start", ["9" * 5000, "-", "1e9", "99999999999"])
def test_a_list_start_that_is_no_number_is_read_as_one(tmp_path: Path, start: str) -> None:
    path = tmp_path / "bad-start.docx"
    path.write_bytes(docx_with(numbered("Nội dung"), list_definition("decimal", start)))
    assert parse_file(path).text.startswith("1. Nội dung")


def _multiplying_docx(path: Path, paragraphs: int = 2000) -> Path:
    """~37 KB that would unfold to ~3 G characters: every label repeats its number 100,000
    times."""
    path.write_bytes(docx_with(numbered("Nội dung") * paragraphs,
                               list_definition("upperRoman", "3888", "%1" * 100_000)))
    return path


def test_numbering_that_multiplies_text_is_refused_while_building(tmp_path: Path) -> None:
    path = _multiplying_docx(tmp_path / "labels.docx")
    assert path.stat().st_size < 64 * 1024
    with pytest.raises(LimitExceededError, match="max_chars") as caught:
        parse_file(path)
    assert str(path) in str(caught.value)


@pytest.mark.slow  # fills 640 MiB in a subprocess
def test_under_a_memory_limit_it_is_still_a_limit_not_a_damaged_file(tmp_path: Path) -> None:
    """In a process limited to 640 MiB of address space: the refusal by max_chars comes
    well within it, and a text that cannot be built at all (max_chars raised) is a
    LimitExceededError too, never a CorruptFileError."""
    script = (
        "import sys; sys.path[:0] = sys.argv[3:]\n"
        "from pathlib import Path\n"
        "from hostile_support import docx_with, list_definition, numbered\n"
        "from kehoach_parser import parse_file, LoadOptions\n"
        "from kehoach_parser.errors import KehoachError\n"
        "path = Path(sys.argv[1])\n"
        "path.write_bytes(docx_with(numbered('x') * int(sys.argv[2]),"
        " list_definition('upperRoman', '3888', '%1' * 100_000)))\n"
        "for chars in (LoadOptions().max_chars, 10**10):\n"
        "    try:\n"
        "        parse_file(path, options=LoadOptions(max_chars=chars))\n"
        "    except KehoachError as exc:\n"
        "        print(type(exc).__name__, exc)\n"
    )

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (640 << 20, 640 << 20))

    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "m.docx"), "2000",
                           str(ROOT / "tests"), str(ROOT / "src")], preexec_fn=limited,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    chars, memory = done.stdout.splitlines()
    assert chars.startswith("LimitExceededError") and "max_chars" in chars, chars
    assert memory.startswith("LimitExceededError") and "memory" in memory, memory
    assert str(tmp_path / "m.docx") in memory


def test_many_members_are_refused_by_the_total_size(tmp_path: Path) -> None:
    path = tmp_path / "members.docx"
    members = {f"word/media/m{i}.bin": bytes(1 << 20) for i in range(500)}
    path.write_bytes(docx_with(numbered("Nội dung"), list_definition("decimal", "1"), members))
    with pytest.raises(LimitExceededError, match="members") as caught:
        parse_file(path)
    assert str(path) in str(caught.value)


def test_many_small_members_are_refused_by_the_total_ratio(tmp_path: Path) -> None:
    path = tmp_path / "ratio.docx"
    members = {f"word/media/m{i}.bin": bytes(900_000) for i in range(100)}  # 90 MB, 1000x
    path.write_bytes(docx_with(numbered("Nội dung"), list_definition("decimal", "1"), members))
    with pytest.raises(LimitExceededError, match="max_zip_ratio"):
        parse_file(path)


def test_reading_a_docx_has_a_time_bound(tmp_path: Path) -> None:
    path = tmp_path / "slow.docx"
    path.write_bytes(docx_with(numbered("Nội dung") * 2000, list_definition("decimal", "1")))
    with pytest.raises(LimitExceededError, match="max_seconds") as caught:
        parse_file(path, options=LoadOptions(max_seconds=0.0))
    assert str(path) in str(caught.value)
    assert parse_file(path).text.startswith("1. Nội dung")  # the default leaves room


# Other files -------------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "kind"), [
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(2000), "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n" + bytes(2000), "a PNG image"),
    (b"\x1f\x8b\x08\x00" + bytes(2000), "a gzip archive"),
    (b"{\\rtf1\\ansi Ke hoach}", "an RTF document"),
])
@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".doc"])
def test_an_image_or_archive_under_a_document_name_is_named(tmp_path: Path, content: bytes,
                                                            kind: str, suffix: str) -> None:
    path = tmp_path / f"scan{suffix}"
    path.write_bytes(content)
    with pytest.raises(FormatMismatchError, match=kind) as caught:
        parse_file(path)
    assert str(path) in str(caught.value)


def test_a_doc_whose_name_starts_with_a_dash(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    source = SHARED / "real" / "52688fec_CV-tu-choi-TKBVTC-da-hoa-LangLanhII.doc"
    (tmp_path / "-x.doc").write_bytes(source.read_bytes())
    monkeypatch.chdir(tmp_path)
    document = parse_file("-x.doc")
    assert document.text.startswith("UBND TỈNH LÀO CAI")
    assert document.source.path == "-x.doc"


def test_a_non_utf8_file_name_is_printable_in_the_output(tmp_path: Path) -> None:
    path = Path(os.fsdecode(bytes(tmp_path) + b"/k\xe9 ho\xe1ch.txt"))
    path.write_text(PLAN.format(year=2024), encoding="utf-8")
    data = _valid(parse_file(path))
    assert str(data["source"]["path"]).endswith("/k\\xe9 ho\\xe1ch.txt")  # type: ignore[index]
    with pytest.raises(KehoachError) as caught:
        parse_file(path.with_suffix(".pdf").with_name(path.name + ".pdf"))
    str(caught.value).encode("utf-8")  # the message prints


# Any string --------------------------------------------------------------------------------

SEED = (CORPUS / "000_b57d673ba1927f7e.txt").read_text(encoding="utf-8")
PIECES = st.sampled_from(["70% xã, ", "1/2 xã ", "9" * 320, "\ud800", "\udcff", "**", "# ",
                          "I. ", "1.1. ", "Số: 12/KH-UBND\n", "ngày 5 tháng 5 năm 2024",
                          "\n", "\t", "\x00", "\u202e", "\ufeff", "đ", "\x0c"])


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """A seed plan with hostile pieces spliced in at random places."""
    text = SEED
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(PIECES) * draw(st.integers(1, 40)) + text[at:]
    return text


ANY_TEXT = st.one_of(
    st.text(),
    st.text(st.characters(categories=["Cs", "L", "N", "P", "Zs", "Cc", "Cf"]), max_size=500),
    hostile_text(),
)


@pytest.mark.slow  # fuzzing
@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ANY_TEXT)
def test_any_string_gives_a_valid_document_or_a_typed_error(text: str) -> None:
    try:
        document = parse_text(text)
    except KehoachError:
        return
    _valid(document)

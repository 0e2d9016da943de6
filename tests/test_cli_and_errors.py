"""Command line (in-process) and bad input: typed errors that name the file."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from conftest import CORPUS
from kehoach_parser import KehoachError, parse_file, parse_text
from kehoach_parser.cli import main
from kehoach_parser.errors import (
    BinaryInputError,
    DecodingError,
    EmptyInputError,
    FileMissingError,
    NotAFileError,
    UnsupportedFormatError,
)

SEED = sorted(CORPUS.glob("*.txt"))[0]


def test_parse_writes_one_json_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED), "--out", str(tmp_path)]) == 0
    out = tmp_path / f"{SEED.stem}.json"
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema_version"] == "1.1" and data["source"]["path"] == str(SEED)
    assert not list(tmp_path.glob(".*.tmp"))


def test_stdout_prints_one_document(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED), "--stdout"]) == 0
    assert json.loads(capsys.readouterr().out)["metadata"]["doc_type"] == "KH"


def test_stdout_jsonl_for_several(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(p) for p in sorted(CORPUS.glob("*.txt"))[:2]]
    assert main(["parse", *files, "--stdout"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["text"] for line in lines)


def test_failed_file_is_one_line_and_others_go_on(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.txt"
    code = main(["parse", str(missing), str(SEED), "--out", str(tmp_path / "o"), "-q"])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {missing}: no such file"]
    assert (tmp_path / "o" / f"{SEED.stem}.json").exists()


@pytest.mark.parametrize("argv", [[], ["parse"], ["parse", "x.txt"], ["bogus"],
                                  ["parse", "x.txt", "--out", "d", "--stdout"]])
def test_bad_usage_exits_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_help_on_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["parse", "--help"], ["schema", "--help"]):
        assert main(argv) == 0
        assert "usage:" in capsys.readouterr().out


def test_schema_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "PlanDocument"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("empty.txt", b"", EmptyInputError),
        ("blank.txt", b"   \n\n  ", EmptyInputError),
        ("binary.txt", bytes(range(256)) * 4, BinaryInputError),
        ("latin.txt", "Kế hoạch".encode()[:-1] + b"\xff\xfe\xfa zz", DecodingError),
        ("plan.xyz", b"KE HOACH", UnsupportedFormatError),
    ],
)
def test_bad_files_raise_typed_errors(tmp_path: Path, name: str, data: bytes,
                                      error: type[KehoachError]) -> None:
    path = _write(tmp_path, name, data)
    with pytest.raises(error) as info:
        parse_file(path)
    assert str(path) in str(info.value)


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(FileMissingError, match="no such file"):
        parse_file(tmp_path / "missing.txt")
    with pytest.raises(NotAFileError, match="not a regular file"):
        parse_file(tmp_path)


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("utf-8"),
        lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
        lambda s: s.encode("utf-16"),
        lambda s: s.encode("utf-16-le"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-le-no-bom"],
)
def test_encodings(tmp_path: Path, encode: object) -> None:
    text = SEED.read_text(encoding="utf-8")
    path = _write(tmp_path, "plan.txt", encode(text))  # type: ignore[operator]
    doc = parse_file(path)
    assert doc.text == parse_text(text).text and doc.metadata.doc_type == "KH"


def test_markdown_file_format(tmp_path: Path) -> None:
    path = _write(tmp_path, "plan.md", SEED.read_bytes())
    assert parse_file(path).source.format == "markdown"


def test_parse_text_rejects_non_strings() -> None:
    with pytest.raises(KehoachError):
        parse_text(b"bytes")  # type: ignore[arg-type]

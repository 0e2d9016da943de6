"""The machine's cache of compiled patterns: read back equal, off when asked, never in the way."""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import regex

from kehoach_parser import patterns

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh, empty cache for one test; the process's own cache is put back after it."""
    monkeypatch.setenv("KEHOACH_PARSER_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(patterns, "_compiled", None)
    monkeypatch.setattr(patterns, "_new", False)
    yield tmp_path


def _fresh_process(pattern: str) -> None:
    """As the next process would: forget what this one compiled and read the file."""
    patterns._compiled = None
    patterns._new = False
    patterns.compile(pattern)


def test_a_saved_pattern_is_read_back_and_matches_as_compiled(cache_dir: Path) -> None:
    source = r"(?i)(?<!\p{L})ủy\s+ban\s+nhân\s+dân\s+(?P<cap>tỉnh|xã)"
    compiled = patterns.compile(source)
    patterns.save()
    file = patterns.cache_file()
    assert file is not None and file.parent == cache_dir and file.exists()
    with file.open("rb") as stream:
        stored = pickle.load(stream)
    assert (source, 0) in stored
    patterns._compiled = None
    again = patterns.compile(source)
    assert again is not compiled  # read from the file, not this process's dict
    text = "giao Ủy ban Nhân dân  Xã Tân Phú, Ủy ban nhân dân tỉnh Đồng Nai"
    assert [m.span() for m in again.finditer(text)] == [m.span() for m in
                                                         compiled.finditer(text)]
    assert [m["cap"] for m in again.finditer(text)] == ["Xã", "tỉnh"]


def test_flags_are_part_of_the_key(cache_dir: Path) -> None:
    plain, folded = patterns.compile("số"), patterns.compile("số", regex.IGNORECASE)
    assert plain.search("SỐ") is None and folded.search("SỐ") is not None


def test_nothing_is_written_when_nothing_new_was_compiled(cache_dir: Path) -> None:
    patterns.compile(r"\d+/KH-UBND")
    patterns.save()
    file = patterns.cache_file()
    assert file is not None
    before = file.stat().st_mtime_ns
    _fresh_process(r"\d+/KH-UBND")
    assert not patterns._new
    patterns.save()
    assert file.stat().st_mtime_ns == before


def test_an_empty_variable_turns_the_cache_off(cache_dir: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEHOACH_PARSER_CACHE_DIR", "")
    assert patterns.cache_file() is None
    assert patterns.compile(r"Quyết\s+định").search("Quyết  định") is not None
    patterns.save()
    assert list(cache_dir.iterdir()) == []


def test_the_default_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KEHOACH_PARSER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    file = patterns.cache_file()
    assert file is not None and file.parent == tmp_path / "kehoach_parser"
    assert regex.__version__ in file.name


@pytest.mark.parametrize("content", [b"", b"not a pickle", pickle.dumps({"a": 1}),
                                     pickle.dumps([1, 2, 3])])
def test_a_damaged_or_foreign_file_means_compiling_again(cache_dir: Path,
                                                         content: bytes) -> None:
    file = patterns.cache_file()
    assert file is not None
    file.write_bytes(content)
    assert patterns.compile(r"Chỉ\s+thị").search("Chỉ thị số 05") is not None
    patterns.save()  # the damaged file is replaced by a good one
    _fresh_process(r"Chỉ\s+thị")
    assert not patterns._new


def test_a_folder_that_cannot_be_written_fails_nothing(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("KEHOACH_PARSER_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(patterns, "_compiled", None)
    monkeypatch.setattr(patterns, "_new", False)
    assert patterns.compile(r"Thông\s+tư").search("Thông tư 12") is not None
    patterns.save()
    assert patterns._new  # still to be written: nothing was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_failed_write_leaves_no_temporary_file(cache_dir: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    patterns.compile(r"Nghị\s+quyết")

    def refuse(*_: object, **__: object) -> None:
        raise pickle.PicklingError("refused")

    monkeypatch.setattr(patterns.pickle, "dump", refuse)
    patterns.save()
    assert list(cache_dir.iterdir()) == []


def test_a_second_process_reads_what_the_first_compiled(tmp_path: Path) -> None:
    code = ("import sys; from kehoach_parser import parse_text, patterns; "
            "parse_text('KẾ HOẠCH\\nTriển khai năm 2025\\nI. MỤC ĐÍCH\\nĐạt 90% xã.\\n'); "
            "print(len(patterns._compiled), patterns._new)")
    env = {"KEHOACH_PARSER_CACHE_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src"),
           "PATH": ""}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    (first_count, first_new), (second_count, second_new) = runs
    assert first_new == "True" and second_new == "False"  # nothing left to compile
    assert int(second_count) >= int(first_count) > 100


# Patterns built from a document's own words, compiled afresh and never kept: by module.
_BUILT_FROM_THE_DOCUMENT = {"citations.py": 1}  # the numbers a document cites in full


def test_only_patterns_built_from_a_document_bypass_the_cache() -> None:
    package = ROOT / "src" / "kehoach_parser"
    direct = {str(p.relative_to(package)): p.read_text(encoding="utf-8").count("regex.compile(")
              for p in package.rglob("*.py") if p.name != "patterns.py"}
    assert {name: n for name, n in direct.items() if n} == _BUILT_FROM_THE_DOCUMENT


def test_no_pattern_is_compiled_behind_a_module_level_call() -> None:
    """``regex.search(r"…", text)`` compiles (or looks up) its pattern at every call and
    never reaches the cache: patterns are module constants."""
    package = ROOT / "src" / "kehoach_parser"
    call = regex.compile(r"\bregex\.(?:sub|subn|search|match|fullmatch|finditer|findall|split)\(")
    found = [f"{p.relative_to(package)}:{n}" for p in package.rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if call.search(line)]
    assert found == []

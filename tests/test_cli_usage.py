"""Bad usage is refused the same way by every command: exit code 2, one line on stderr
(``kehoach COMMAND: error: …``), nothing read or written; Ctrl-C is one line and exit 130."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from kehoach_parser.cli import EXIT_INTERRUPTED, EXIT_USAGE, main

SEED = sorted(CORPUS.glob("*.txt"))[0]


def _refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """Run ``argv``; check exit code 2 and one line on stderr, and return that line."""
    assert main(argv) == EXIT_USAGE
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith(f"kehoach {argv[0]}: error: ")
    assert captured.out == ""
    return lines[0]


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--timeout", "0", "--timeout: must be a positive number of seconds, not '0'"),
    ("--timeout", "-1", "--timeout: must be a positive number of seconds, not '-1'"),
    ("--timeout", "nan", "--timeout: must be a positive number of seconds"),
    ("--timeout", "soon", "--timeout: must be a positive number of seconds"),
    ("--jobs", "0", "--jobs: must be a positive whole number, not '0'"),
    ("--jobs", "-3", "--jobs: must be a positive whole number, not '-3'"),
    ("--jobs", "1.5", "--jobs: must be a positive whole number"),
    ("--memory", "-5", "--memory: must be a whole number of MB (0 for none), not '-5'"),
    ("--memory", "lots", "--memory: must be a whole number of MB"),
])
def test_batch_refuses_bad_limits(option: str, value: str, said: str, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    line = _refused(["batch", str(CORPUS), "--out", str(out), f"{option}={value}"], capsys)
    assert said in line
    assert not out.exists()


def test_a_missing_folder_or_store_is_bad_usage_everywhere(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing"
    assert "missing: not a folder" in _refused(
        ["batch", str(missing), "--out", str(tmp_path / "out")], capsys)
    assert "missing: no such folder or store" in _refused(["compare", str(missing)], capsys)
    assert "missing: no store" in _refused(["query", str(missing), ":targets"], capsys)
    assert "no store" in _refused(["query", str(tmp_path), ":targets"], capsys)  # no duckdb
    assert not (tmp_path / "out").exists()


def test_an_unknown_indicator_is_bad_usage(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    line = _refused(["compare", str(tmp_path), "--indicator", "propaganda_student_pct"], capsys)
    assert "unknown indicator 'propaganda_student_pct'; did you mean propaganda_students_pct?" \
        in line
    assert "unknown indicator 'zzz' (" in _refused(
        ["compare", str(tmp_path), "--indicator", "reports_processed_pct", "zzz"], capsys)
    assert "no such catalogue file" in _refused(
        ["compare", str(tmp_path), "--catalogue", str(tmp_path / "none.toml")], capsys)


def test_unknown_example_query_and_missing_sql(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert "no example query :nope" in _refused(["query", str(tmp_path), ":nope"], capsys)
    assert "give an SQL statement" in _refused(["query", str(tmp_path)], capsys)


def test_argparse_errors_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert "required: FILE (see kehoach parse --help)" in _refused(["parse"], capsys)
    assert "--out" in _refused(["parse", "x.txt"], capsys)
    assert "--format: invalid choice" in _refused(["compare", "o", "--format", "xls"], capsys)
    assert main(["bogus"]) == EXIT_USAGE
    assert capsys.readouterr().err.count("\n") == 1


def _copy(folder: Path, name: str, source: Path = SEED) -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(source.read_bytes())
    return str(path)


def test_parse_refuses_inputs_that_share_an_output(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """``a.txt a.pdf a.docx`` (one stem) and ``x/plan.txt y/plan.txt`` (one name in two
    folders) would overwrite each other's DIR/<stem>.json: refused before any is parsed."""
    out = tmp_path / "out"
    same_stem = [_copy(tmp_path, "a.txt"), _copy(tmp_path, "a.pdf", CORPUS / "pdf" /
                                                 f"{SEED.stem}.pdf"),
                 _copy(tmp_path, "a.docx", CORPUS / "docx" / f"{SEED.stem}.docx")]
    line = _refused(["parse", *same_stem, "--out", str(out)], capsys)
    assert f"{same_stem[0]}, {same_stem[1]} and {same_stem[2]} would be written to one " \
           f"output, {out / 'a.json'}" in line and "kehoach batch" in line
    two_folders = [_copy(tmp_path, "x/plan.txt"), _copy(tmp_path, "y/plan.txt")]
    line = _refused(["parse", *two_folders, str(SEED), "--out", str(out)], capsys)
    assert f"{two_folders[0]} and {two_folders[1]} would be written to one output" in line
    assert not out.exists()


def test_parse_writes_a_file_named_twice_once(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    name = _copy(tmp_path, "plan.txt")
    out = tmp_path / "out"
    dotted = str(Path(name).parent / "." / "plan.txt")
    assert main(["parse", name, dotted, "--out", str(out)]) == 0
    assert capsys.readouterr().err.splitlines() == [f"{name} -> {out / 'plan.json'}"]
    assert [p.name for p in out.iterdir()] == ["plan.json"]


@pytest.mark.parametrize(("argv", "target", "said"), [
    (["parse", str(SEED), "--stdout"], "kehoach_parser.pipeline.parse_file",
     "interrupted: 0 of 1 files done"),
    (["batch", str(CORPUS), "--out", "{tmp}/out"], "kehoach_parser.batch.run_batch",
     "interrupted: run the same command again to complete the batch"),
    (["compare", "{tmp}"], "kehoach_parser.compare.compare_plans", "interrupted"),
])
def test_ctrl_c_is_one_line_and_exit_130(argv: list[str], target: str, said: str,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(target, interrupted)
    assert main([arg.format(tmp=tmp_path) for arg in argv]) == EXIT_INTERRUPTED
    assert capsys.readouterr().err.splitlines() == [said]


BLOCKING_PARSE = """
import sys, threading
import kehoach_parser.pipeline as pipeline
from kehoach_parser.cli import main

def blocking(path, options=None):
    print("ready", file=sys.stderr, flush=True)
    threading.Event().wait()  # until Ctrl-C

pipeline.parse_file = blocking
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_in_a_real_process(tmp_path: Path) -> None:
    """SIGINT to the process group, as a terminal sends it, while a file is being parsed:
    exit code 130, one line, no traceback, nothing written."""
    process = subprocess.Popen(
        [sys.executable, "-c", BLOCKING_PARSE, "parse", str(SEED), "--out", str(tmp_path)],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert process.stderr is not None
    assert process.stderr.readline() == "ready\n"  # the parse has begun
    os.killpg(process.pid, signal.SIGINT)
    rest = process.stderr.read()
    assert process.wait() == EXIT_INTERRUPTED
    assert rest.splitlines() == ["interrupted: 0 of 1 files done"]
    assert list(tmp_path.iterdir()) == []

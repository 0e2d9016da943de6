"""Batch runs: outputs, the error log, re-runs, time limits, a kill half-way, Dask."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from batch_support import CRASH, HANG, HANG_SECONDS, misbehaving_parse
from kehoach_parser import PlanDocument
from kehoach_parser import errors as kehoach_errors
from kehoach_parser.batch import ERRORS_NAME, discover, run_batch
from kehoach_parser.cli import main
from kehoach_parser.errors import InputError
from kehoach_parser.store import STORE_NAME, Store

PLAN = ("KẾ HOẠCH\nPhòng, chống mại dâm năm {year}\nI. MỤC TIÊU\n"
        "- 70% xã, phường tổ chức tuyên truyền\n")
ROOT = Path(__file__).resolve().parents[1]


def _write(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _errors(out: Path) -> dict[str, dict[str, str]]:
    path = out / ERRORS_NAME
    if not path.exists():
        return {}
    return {r["file"]: r for r in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


def _stored(out: Path) -> set[str]:
    with Store(out / STORE_NAME, read_only=True) as store:
        return {name for (name,) in store.query("SELECT document FROM documents").rows}


def _check_complete(folder: Path, out: Path) -> None:
    """Every input has a valid JSON output or an error line, never both; no temporary file
    is left; the store holds exactly the parsed files."""
    inputs = {name for _, name in discover(folder, skip=out)}
    errors = _errors(out)
    parsed = set()
    for name in inputs - set(errors):
        output = out / f"{name}.json"
        document = PlanDocument.model_validate_json(output.read_bytes())
        assert document.source.path == str(folder / name)
        parsed.add(name)
    assert not any((out / f"{name}.json").exists() for name in errors)
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert _stored(out) == parsed


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    _write(root, {
        "a.txt": PLAN.format(year=2024),
        "sub/b.md": PLAN.format(year=2023),
        "sub/deeper/c.TXT": PLAN.format(year=2022),
        "empty.txt": "",
        "fake.pdf": "this is not a PDF",
        "garbage.docx": bytes(range(256)) * 4,
        ".hidden.txt": PLAN.format(year=2020),
        "notes.csv": "a,b",
    })
    return root


def test_discover_recurses_and_filters(folder: Path) -> None:
    names = [name for _, name in discover(folder)]
    assert names == ["a.txt", "empty.txt", "fake.pdf", "garbage.docx", "sub/b.md",
                     "sub/deeper/c.TXT"]
    assert [n for _, n in discover(folder, include=["*.txt", "*.TXT"], exclude=["sub/deeper/*"])
            ] == ["a.txt", "empty.txt"]
    assert [n for _, n in discover(folder, skip=folder / "sub")] == [
        "a.txt", "empty.txt", "fake.pdf", "garbage.docx"]


@pytest.mark.slow
def test_batch_writes_outputs_errors_and_store(folder: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["batch", str(folder), "--out", str(out), "-j", "2"]) == 1  # some failed
    assert "3 parsed, 0 skipped (unchanged), 3 failed" in capsys.readouterr().err
    _check_complete(folder, out)
    errors = _errors(out)
    assert set(errors) == {"empty.txt", "fake.pdf", "garbage.docx"}
    assert errors["empty.txt"]["error"] == "EmptyInputError"
    for name, error in errors.items():  # typed: a class of the library's hierarchy
        assert issubclass(getattr(kehoach_errors, error["error"]), InputError)
        assert name in error["message"]
    assert (out / "sub/deeper/c.TXT.json").exists()


@pytest.mark.slow
def test_rerun_skips_unchanged_redoes_changed_and_clears_fixed_errors(
        folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(folder, out, jobs=1)
    (folder / "a.txt").write_text(PLAN.format(year=2025), encoding="utf-8")
    (folder / "empty.txt").write_text(PLAN.format(year=2021), encoding="utf-8")
    (folder / "sub/b.md").write_text("", encoding="utf-8")  # a parsed file now fails
    with (out / ERRORS_NAME).open("a", encoding="utf-8") as log:
        log.write('{"file": "a.txt", "err')  # a line cut by a kill
    summary = run_batch(folder, out, jobs=1)
    assert (summary.parsed, summary.skipped, summary.failed) == (2, 1, 3)
    assert set(_errors(out)) == {"sub/b.md", "fake.pdf", "garbage.docx"}
    _check_complete(folder, out)
    with Store(out / STORE_NAME, read_only=True) as store:
        year = store.query("SELECT plan_year FROM documents WHERE document = 'a.txt'").rows
    assert year == [(2025,)]
    forced = run_batch(folder, out, jobs=1, force=True, progress=True)
    assert (forced.parsed, forced.skipped) == (3, 0)


def _time_limit(tmp_path: Path) -> float:
    """A time limit per document that a good one meets on this machine as busy as it is now:
    5 times what a whole batch of one document takes here (a fresh worker's start, its
    imports and first parse, the store), and at least 3 s. A hung document outlasts any."""
    folder = tmp_path / "one"
    _write(folder, {"a.txt": PLAN.format(year=2024)})
    started = time.perf_counter()
    run_batch(folder, tmp_path / "one-out", jobs=1)
    return max(3.0, 5 * (time.perf_counter() - started))


@pytest.mark.slow
def test_a_hung_document_is_killed_and_a_crash_reported(folder: Path, tmp_path: Path) -> None:
    _write(folder, {"hang.txt": PLAN.format(year=2024) + HANG,
                    "crash.txt": PLAN.format(year=2024) + CRASH})
    out = tmp_path / "out"
    limit = _time_limit(tmp_path)
    started = time.perf_counter()
    summary = run_batch(folder, out, jobs=2, timeout=limit, parse=misbehaving_parse)
    assert time.perf_counter() - started < HANG_SECONDS  # the hang was cut, not waited for
    errors = _errors(out)
    assert errors["hang.txt"]["error"] == "LimitExceededError"
    assert f"more than {limit:g} s" in errors["hang.txt"]["message"]
    assert errors["crash.txt"]["error"] == "WorkerCrashedError"
    assert summary.parsed == 3
    _check_complete(folder, out)


@pytest.mark.slow
def test_killed_batch_completes_on_rerun(tmp_path: Path) -> None:
    """SIGKILL the batch (its whole process group) half-way, then run it again."""
    folder, out = tmp_path / "in", tmp_path / "out"
    count = 240
    _write(folder, {f"d{n // 40}/p{n:04}.txt": PLAN.format(year=2000 + n % 30)
                    for n in range(count)})
    command = [sys.executable, "-m", "kehoach_parser", "batch", str(folder), "--out", str(out),
               "-j", "2", "-q"]
    batch = subprocess.Popen(command, start_new_session=True, cwd=ROOT)
    deadline = time.monotonic() + 60
    while len(list(out.rglob("*.json"))) < count // 6 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert batch.poll() is None, "the batch ended before it could be killed"
    os.killpg(batch.pid, signal.SIGKILL)
    batch.wait()
    done = len(list(out.rglob("*.json")))
    assert 0 < done < count
    rerun = subprocess.run(command, cwd=ROOT, timeout=120, check=False)
    assert rerun.returncode == 0
    _check_complete(folder, out)
    assert len(_stored(out)) == count
    assert not (out / ".kehoach-tmp").exists()  # the killed workers' folders are swept


@pytest.mark.slow
def test_dask_engine_gives_the_same_outputs(folder: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    # The hang outlasts the limit, and the abandoned thread ends soon after.
    limit = _time_limit(tmp_path)
    monkeypatch.setenv("KEHOACH_TEST_HANG", f"{limit + 3:g}")
    _write(folder, {"hang.txt": PLAN.format(year=2024) + HANG})
    local, remote = tmp_path / "local", tmp_path / "dask"
    run_batch(folder, local, jobs=1, timeout=limit, parse=misbehaving_parse)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,  # type: ignore[no-untyped-call]
                      dashboard_address=None) as cluster:
        summary = run_batch(folder, remote, engine="dask", scheduler=cluster.scheduler_address,
                            timeout=limit, parse=misbehaving_parse)
    assert (summary.parsed, summary.failed) == (3, 4)
    assert {n: e["error"] for n, e in _errors(remote).items()} == {
        n: e["error"] for n, e in _errors(local).items()}
    _check_complete(folder, remote)
    for output in local.rglob("*.json"):
        mine = json.loads(output.read_text(encoding="utf-8"))
        theirs = json.loads((remote / output.relative_to(local)).read_text(encoding="utf-8"))
        assert mine == theirs


def test_batch_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["batch", str(tmp_path), "--out", str(tmp_path / "o"), "--engine", "dask"]) == 2
    assert "scheduler" in capsys.readouterr().err


@pytest.mark.slow
def test_an_unreadable_folder_is_reported(folder: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    real_scandir = os.scandir

    def scandir(path: str | Path | int) -> object:  # root reads all: deny like a mount would
        if not isinstance(path, int) and Path(path).name == "deeper":  # int: rmtree's fd
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    summary = run_batch(folder, tmp_path / "out", jobs=1)
    errors = _errors(tmp_path / "out")
    assert errors["sub/deeper"]["error"] == "PermissionError"
    assert "folder not read" in errors["sub/deeper"]["message"]
    assert (summary.parsed, summary.failed) == (2, 4)

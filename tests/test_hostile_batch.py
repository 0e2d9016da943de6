"""Hostile and unlucky batches: odd file names, links, a second batch, a damaged store, a
read-only or full disk, memory, Ctrl-C and a hung Dask parse. Each ends in a line per
file, a warning, or one clear refusal; never a traceback, a lost file or a file read from
outside the folder."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from hostile_support import (
    BUSY,
    CONVERTER,
    HUNGRY,
    PLAN,
    busy_parse,
    converter_parse,
    full_disk_parse,
    greedy_parse,
)
from kehoach_parser import PlanDocument
from kehoach_parser.batch import ERRORS_NAME, run_batch
from kehoach_parser.batch_files import TEMPORARY_EXTRA, TEMPORARY_FOLDER, discover, output_name
from kehoach_parser.cli import main
from kehoach_parser.errors import DiskFullError, OutputError
from kehoach_parser.store import STORE_NAME, Store

pytestmark = pytest.mark.slow  # batch runs

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT / "src")])}


def _plans(folder: Path, names: list[str | bytes], text: str = PLAN) -> list[Path]:
    paths = []
    for number, name in enumerate(names):
        path = Path(os.fsdecode(bytes(folder) + b"/" + os.fsencode(name)))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.format(year=2000 + number), encoding="utf-8")
        paths.append(path)
    return paths


def _errors(out: Path) -> dict[str, dict[str, str]]:
    lines = (out / ERRORS_NAME).read_text(encoding="utf-8").splitlines()
    return {r["file"]: r for r in map(json.loads, lines)}


def _stored(out: Path) -> dict[str, str]:
    with Store(out / STORE_NAME, read_only=True) as store:
        return dict(store.query("SELECT document, json_path FROM documents").rows)


def _outputs(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.json") if not p.name.startswith("."))


# Names -------------------------------------------------------------------------------------

def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    _plans(folder, [b"k\xe9 ho\xe1ch.txt", b"s\xff/a.txt", "đúng.txt"])
    summary = run_batch(folder, out, jobs=1)
    assert (summary.parsed, summary.failed) == (3, 0)
    stored = _stored(out)
    assert set(stored) == {"k\\xe9 ho\\xe1ch.txt", "s\\xff/a.txt", "đúng.txt"}
    for json_path in stored.values():
        document = PlanDocument.model_validate_json((out / json_path).read_bytes())
        document.source.path.encode("utf-8")  # type: ignore[union-attr]
    assert (out / ERRORS_NAME).read_text(encoding="utf-8") == ""  # always there
    again = run_batch(folder, out, jobs=1)
    assert (again.parsed, again.skipped) == (0, 3)


@pytest.mark.parametrize("length", [237, 240, 245, 250, 255])
def test_file_names_up_to_the_longest_the_system_takes(tmp_path: Path, length: int) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    ascii_name = "k" * (length - 4) + ".txt"
    vietnamese = "ạ" * ((length - 4) // 3) + ".txt"  # three bytes a letter
    _plans(folder, [ascii_name, vietnamese, f"sub/{ascii_name}"])
    summary = run_batch(folder, out, jobs=1)
    assert (summary.parsed, summary.failed) == (3, 0), summary
    outputs = _outputs(out)
    assert len(outputs) == 3
    assert all(len(os.fsencode(p.name)) + TEMPORARY_EXTRA <= 255 for p in outputs)
    assert set(_stored(out)) == {ascii_name, vietnamese, f"sub/{ascii_name}"}
    assert run_batch(folder, out, jobs=1).skipped == 3


def test_cut_names_stay_distinct() -> None:
    first, second = "k" * 250 + "a.txt", "k" * 250 + "b.txt"
    assert output_name(first) != output_name(second)
    assert output_name(first) == output_name(first)


def test_an_output_the_system_refuses_is_not_blamed_on_the_input(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    _plans(folder, ["a.txt", "b.txt"])
    out.mkdir()
    (out / "a.txt.json").mkdir()  # the output's name is taken by a folder
    summary = run_batch(folder, out, jobs=1)
    assert (summary.parsed, summary.failed) == (1, 1)
    error = _errors(out)["a.txt"]
    assert error["error"] == "OutputError"
    assert error["message"].startswith(str(out / "a.txt.json"))


# Links -------------------------------------------------------------------------------------

@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """A folder with links in and out of it, and loops; and a secret outside it."""
    folder, outside = tmp_path / "in", tmp_path / "secret"
    _plans(folder, ["a.txt", "sub/b.txt"])
    _plans(outside, ["passwd.txt", "deep/shadow.txt"])
    (folder / "to-secret.txt").symlink_to(outside / "passwd.txt")
    (folder / "secret-folder").symlink_to(outside)
    (folder / "loop").symlink_to(folder)
    (folder / "sub" / "up").symlink_to("..")
    (folder / "self").symlink_to("self")
    (folder / "broken.txt").symlink_to(tmp_path / "missing.txt")
    (folder / "alias.txt").symlink_to("a.txt")
    return folder, outside


def test_links_stay_inside_the_folder_by_default(linked: tuple[Path, Path],
                                                 tmp_path: Path) -> None:
    folder, _ = linked
    out = tmp_path / "out"
    summary = run_batch(folder, out, jobs=1)
    errors = _errors(out)
    assert set(_stored(out)) == {"a.txt", "sub/b.txt"}
    assert {name: e["error"] for name, e in errors.items()} == {
        "to-secret.txt": "LinkError", "secret-folder": "LinkError", "self": "LinkError",
        "broken.txt": "LinkError"}
    assert "outside the folder" in errors["to-secret.txt"]["message"]
    assert (summary.parsed, summary.failed) == (2, 4)
    assert not any("passwd" in p.name or "shadow" in p.name for p in out.rglob("*"))


def test_links_are_followed_on_request_and_loops_read_once(linked: tuple[Path, Path]) -> None:
    folder, _ = linked
    names = [name for _, name in discover(folder, follow_links=True, onerror=lambda *_: None)]
    assert sorted(names) == ["a.txt", "alias.txt", "secret-folder/deep/shadow.txt",
                             "secret-folder/passwd.txt", "sub/b.txt", "to-secret.txt"]
    problems: list[str] = []
    list(discover(folder, follow_links=True, onerror=lambda name, _: problems.append(name)))
    assert sorted(problems) == ["broken.txt", "loop", "self", "sub/up"]


# Concurrency and storage -------------------------------------------------------------------

def test_a_second_batch_into_the_same_folder_is_refused_and_touches_nothing(
        tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    _plans(folder, [f"p{n}.txt" for n in range(6)])
    script = ("import sys; from kehoach_parser.batch import run_batch; "
              "from hostile_support import converter_parse; "
              "print(run_batch(sys.argv[1], sys.argv[2], jobs=1, parse=converter_parse))")
    first = subprocess.Popen([sys.executable, "-c", script, str(folder), str(out)],
                             env={**ENV, "KEHOACH_TEST_PAUSE": "1"}, stderr=subprocess.PIPE,
                             text=True)
    deadline = time.monotonic() + 60
    while not (out / ERRORS_NAME).exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the first batch holds the lock and has swept
    in_flight = out / ".p5.txt.json.abcdefgh.tmp"  # as if the first were writing it
    in_flight.write_text("{", encoding="utf-8")
    with pytest.raises(OutputError, match="another batch") as caught:
        run_batch(folder, out, jobs=1)
    assert str(first.pid) in str(caught.value)
    assert in_flight.exists()
    # a batch that cannot write its outputs is a failure (exit 1), not bad usage
    assert main(["batch", str(folder), "--out", str(out)]) == 1
    in_flight.unlink()
    _, said = first.communicate(timeout=120)
    assert first.returncode == 0, said
    assert len(_stored(out)) == 6 and _errors(out) == {}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed"])
def test_a_damaged_store_is_rebuilt_from_the_outputs(tmp_path: Path, damage: str) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    _plans(folder, ["a.txt", "sub/b.txt", "c.txt"])
    run_batch(folder, out, jobs=1)
    store = out / STORE_NAME
    data = store.read_bytes()
    store.write_bytes({"garbage": b"not a store" * 100, "truncated": data[: len(data) // 2],
                       "zeroed": data[:4096] + bytes(len(data) - 4096)}[damage])
    summary = run_batch(folder, out, jobs=1)
    assert (summary.parsed, summary.skipped) == (0, 3)  # read back, not parsed again
    assert "rebuilt from 3 JSON outputs" in str(summary)
    assert (out / f"{STORE_NAME}.damaged").exists()
    assert set(_stored(out)) == {"a.txt", "sub/b.txt", "c.txt"}


def test_a_read_only_output_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    _plans(folder, ["a.txt"])
    out.mkdir()
    real_open = os.open

    def read_only(path: str | Path, flags: int, *args: int, **kwargs: int) -> int:
        if str(path).startswith(str(out)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)  # root writes anywhere: refuse like a mount
    assert main(["batch", str(folder), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"error: {out}: cannot write into the output folder: Read-only file system"]


def test_a_full_disk_for_the_outputs_stops_the_batch_in_one_line(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    _plans(folder, ["a.txt", "b.txt", "c.txt"])
    with pytest.raises(DiskFullError, match="No space left on device") as caught:
        run_batch(folder, out, jobs=1, parse=full_disk_parse)
    assert str(out / "a.txt.json") in str(caught.value)
    assert "run it again" in str(caught.value)
    assert _outputs(out) == [] and not list(out.rglob("*.tmp"))


def test_a_full_disk_for_the_store_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    _plans(folder, ["a.txt", "b.txt"])

    def full(self: object, sql: str, *args: object) -> object:
        if sql.startswith("INSERT INTO documents"):
            raise duckdb.IOException(f'Could not write file "{out}/plans.duckdb.wal": '
                                     "No space left on device")
        return real_execute(self, sql, *args)

    real_execute = duckdb.DuckDBPyConnection.execute
    monkeypatch.setattr(duckdb.DuckDBPyConnection, "execute", full)
    assert main(["batch", str(folder), "--out", str(out), "-j", "1"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no space left on the device of the store" in err[0], err


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, check=False).returncode == 0


def test_a_real_full_disk(tmp_path: Path) -> None:
    """On a real 1 MB tmpfs (needs root and mount; skipped where it cannot mount)."""
    disk = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount_tmpfs(disk, "1m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        folder = tmp_path / "in"
        _plans(folder, [f"p{n:03}.txt" for n in range(200)], PLAN + "- Nội dung dài " * 400)
        done = subprocess.run([sys.executable, "-m", "kehoach_parser", "batch", str(folder),
                               "--out", str(disk / "out"), "-j", "1", "-q"], env=ENV,
                              capture_output=True, text=True, timeout=300, check=False)
        lines = done.stderr.strip().splitlines()
        assert done.returncode != 0 and len(lines) == 1, done.stderr
        assert "no space left on the device" in lines[0] and "Traceback" not in done.stderr
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_a_real_read_only_folder(tmp_path: Path) -> None:
    """On a real read-only tmpfs (needs root and mount; skipped where it cannot mount)."""
    disk = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount_tmpfs(disk, "1m"):
        pytest.skip("cannot mount a tmpfs here")
    try:
        (disk / "out").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        folder = tmp_path / "in"
        _plans(folder, ["a.txt"])
        assert main(["batch", str(folder), "--out", str(disk / "out")]) == 1
    finally:
        subprocess.run(["umount", str(disk)], check=False)


# Memory, Ctrl-C, Dask ----------------------------------------------------------------------

def test_a_worker_over_its_memory_limit_fails_that_file_only(tmp_path: Path) -> None:
    folder, out = tmp_path / "in", tmp_path / "out"
    _plans(folder, ["a.txt", "b.txt"])
    (folder / "hungry.txt").write_text(PLAN.format(year=2024) + HUNGRY, encoding="utf-8")
    summary = run_batch(folder, out, jobs=1, memory=1 << 30, parse=greedy_parse)
    assert (summary.parsed, summary.failed) == (2, 1)
    error = _errors(out)["hungry.txt"]
    assert error["error"] == "LimitExceededError" and "memory" in error["message"]
    assert error["message"].startswith(str(folder / "hungry.txt"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:  # a zombie is not alive
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_ctrl_c_ends_converters_removes_temporaries_and_the_rerun_agrees(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, out, pids, tmp = (tmp_path / n for n in ("in", "out", "pids", "tmp"))
    pids.mkdir()
    tmp.mkdir()
    _plans(folder, [f"p{n:02}.txt" for n in range(12)])
    _plans(folder, ["slow1.txt", "slow2.txt"], PLAN + CONVERTER)
    script = ("import sys\nfrom kehoach_parser.batch import run_batch\n"
              "from hostile_support import converter_parse\n"
              "try:\n    run_batch(sys.argv[1], sys.argv[2], jobs=2, parse=converter_parse)\n"
              "except KeyboardInterrupt as exc:\n    print(exc)\n    sys.exit(130)\n")
    env = {**ENV, "KEHOACH_TEST_PIDS": str(pids), "TMPDIR": str(tmp),
           "KEHOACH_TEST_PAUSE": "0.2"}
    batch = subprocess.Popen([sys.executable, "-c", script, str(folder), str(out)], env=env,
                             stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 90
    while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # both converters are running
    children = [int(p.name) for p in pids.iterdir()]
    assert len(children) == 2 and all(_alive(pid) for pid in children)
    batch.send_signal(signal.SIGINT)
    said, _ = batch.communicate(timeout=60)
    assert batch.returncode == 130
    assert not [pid for pid in children if _alive(pid)]  # the converters ended
    assert list(tmp.iterdir()) == []  # nothing in the system's temporary folder
    assert not (out / TEMPORARY_FOLDER).exists()  # the converters' temporary files are gone
    assert not list(out.rglob("*.tmp"))
    parsed = int(said.split(" parsed")[0])
    assert f"{parsed} parsed, 0 skipped (unchanged), 0 failed before the interrupt" in said
    assert len(_stored(out)) == parsed == len(_outputs(out))
    monkeypatch.setenv("KEHOACH_TEST_PIDS", str(pids))
    monkeypatch.setenv("KEHOACH_TEST_CONVERTER", "0")
    rerun = run_batch(folder, out, jobs=2, parse=converter_parse)
    assert (rerun.skipped, rerun.parsed + rerun.skipped) == (parsed, 14)


def test_a_hung_parse_on_dask_is_killed_not_run_again(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import LocalCluster

    folder, out, pids = tmp_path / "in", tmp_path / "out", tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("KEHOACH_TEST_PIDS", str(pids))
    _plans(folder, ["a.txt", "b.txt"])
    (folder / "busy.txt").write_text(PLAN.format(year=2024) + BUSY, encoding="utf-8")
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False,  # type: ignore[no-untyped-call]
                      dashboard_address=None) as cluster:
        summary = run_batch(folder, out, engine="dask", scheduler=cluster.scheduler_address,
                            timeout=6.0, parse=busy_parse)
        assert (summary.parsed, summary.failed) == (2, 1)
        assert _errors(out)["busy.txt"]["error"] == "LimitExceededError"
        time.sleep(1.0)  # time enough for a re-run to begin
        started = [int(p.name) for p in pids.iterdir()]
        assert len(started) == 1  # parsed once, never re-run
        assert not _alive(started[0])  # and not spinning after the batch returned

"""Xử lý hàng loạt (batch runs): a folder of documents into JSON outputs and a DuckDB store.

``run_batch(root, out)`` finds every .txt, .md, .pdf, .docx and .doc file under ``root``,
parses each in a worker (a local process pool, or a Dask cluster) and writes:

- ``out/<relative path>.json`` per parsed file, atomically (temporary file, then rename);
- ``out/errors.jsonl``: one whole JSON line per failed file (``file``, ``error`` — the
  exception class —, ``message``); a failure never stops the batch;
- ``out/plans.duckdb``: the rows of every parsed file (see :mod:`kehoach_parser.store`).

A re-run skips a file whose sha256 and parser version are those recorded in the store and
whose JSON output exists (``force=True`` redoes everything); failed files are always retried,
and at the end of a complete run ``errors.jsonl`` is rewritten to hold only this run's
failures. Files are streamed: memory does not grow with the size of the folder. A document
that takes longer than ``timeout`` seconds is killed and reported as a
:class:`~kehoach_parser.errors.LimitExceededError`.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from ._version import __version__
from .cli import write_atomic
from .errors import KehoachError, LimitExceededError
from .models import PlanDocument
from .pipeline import parse_file
from .store import STORE_NAME, Rows, Store, document_rows

if TYPE_CHECKING:
    from distributed import Client, Future

SUFFIXES = frozenset({".txt", ".md", ".pdf", ".docx", ".doc"})
ERRORS_NAME = "errors.jsonl"
Status = Literal["parsed", "skipped", "failed"]
Parser = Callable[[Path], PlanDocument]


class WorkerCrashedError(KehoachError):
    """The worker parsing a file died (a crash in a native library, out of memory …)."""


@dataclass(frozen=True)
class Task:
    """One file to do: where it is, its name (path relative to the root), its output."""

    path: str
    name: str
    output: str
    known_sha256: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What became of one file. ``rows`` are the store rows of a parsed file."""

    name: str
    status: Status
    output: str
    sha256: str | None = None
    error: str | None = None
    message: str | None = None
    rows: Rows | None = None
    seconds: float = 0.0
    hung_on: str | None = None  # Dask: address of the worker still running the hung file


@dataclass
class Summary:
    """Tổng kết (summary) of a batch run."""

    out: Path
    store: Path
    errors: Path
    parsed: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)  # the first few

    @property
    def total(self) -> int:
        return self.parsed + self.skipped + self.failed

    def count(self, outcome: Outcome) -> None:
        if outcome.status == "parsed":
            self.parsed += 1
        elif outcome.status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1
            if len(self.failures) < 10:
                self.failures.append((outcome.name, f"{outcome.error}: {outcome.message}"))

    def __str__(self) -> str:
        rate = self.parsed / self.seconds if self.seconds else 0.0
        lines = [f"{self.total} files: {self.parsed} parsed, {self.skipped} skipped (unchanged), "
                 f"{self.failed} failed in {self.seconds:.1f} s ({rate:.1f} parsed/s)",
                 f"outputs in {self.out}, store {self.store}"]
        if self.failed:
            lines.append(f"failures in {self.errors}:")
            lines += [f"  {name}: {problem}" for name, problem in self.failures]
            if self.failed > len(self.failures):
                lines.append(f"  … and {self.failed - len(self.failures)} more")
        return "\n".join(lines)


# --- Finding the files -----------------------------------------------------------------------

def discover(root: Path, *, include: Sequence[str] = (), exclude: Sequence[str] = (),
             skip: Path | None = None, onerror: Callable[[str, OSError], None] | None = None
             ) -> Iterator[tuple[Path, str]]:
    """Tìm tệp (find the input files) under ``root``, depth-first in name order.

    Yields ``(path, name)`` with ``name`` the POSIX path relative to ``root``. Hidden files
    and folders (``.name``) are left out, and so are names matching a glob of ``exclude``,
    files matching no glob of ``include`` (when given) and the folder ``skip`` (the output
    folder when it lies inside ``root``). In a glob, ``*`` also matches ``/``. A folder that
    cannot be read is passed to ``onerror`` with its name and the error.
    """
    skip_real = skip.resolve() if skip is not None else None
    stack = [root]
    while stack:
        folder = stack.pop()
        if skip_real is not None and folder.resolve() == skip_real:
            continue
        try:
            with os.scandir(folder) as entries:
                ordered = sorted((e for e in entries if not e.name.startswith(".")),
                                 key=lambda e: e.name)
        except OSError as exc:
            if onerror is not None:
                onerror(folder.relative_to(root).as_posix(), exc)
            continue
        files, folders = [], []
        for entry in ordered:
            name = Path(entry.path).relative_to(root).as_posix()
            if any(fnmatch.fnmatch(name, pattern) for pattern in exclude):
                continue
            if entry.is_dir():
                folders.append(Path(entry.path))
            elif (entry.is_file() and Path(entry.name).suffix.lower() in SUFFIXES
                  and (not include or any(fnmatch.fnmatch(name, p) for p in include))):
                files.append((Path(entry.path), name))
        yield from files
        stack.extend(reversed(folders))


def _tasks(found: Iterable[tuple[Path, str]], out: Path, store: Store, force: bool,
           chunk: int = 256) -> Iterator[Task]:
    # The store is asked about a chunk of files at once: no table of every file in memory.
    iterator = iter(found)
    while batch := list(islice(iterator, chunk)):
        known = {} if force else store.known([name for _, name in batch])
        for path, name in batch:
            recorded = known.get(name)
            yield Task(str(path), name, str(out / f"{name}.json"),
                       recorded[0] if recorded and recorded[1] == __version__ else None)


# --- The work on one file (runs in a worker) --------------------------------------------------

def _sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def process(task: Task, parse: Parser = parse_file) -> Outcome:
    """Làm một tệp (do one file): skip it when unchanged, else parse it and write its JSON."""
    started = time.perf_counter()
    sha: str | None = None
    try:
        sha = _sha256(task.path)
        if sha == task.known_sha256 and os.path.exists(task.output):
            return Outcome(task.name, "skipped", task.output, sha)
        document = parse(Path(task.path))
        rows = document_rows(document, task.name, f"{task.name}.json", sha)
        write_atomic(Path(task.output), document.model_dump_json(indent=2) + "\n")
    except KehoachError as exc:
        return _failed(task, type(exc).__name__, str(exc), started, sha)
    except OSError as exc:
        return _failed(task, type(exc).__name__, f"{task.path}: {exc.strerror or exc}",
                       started, sha)
    except Exception as exc:  # a bug on one file must not stop the batch
        return _failed(task, type(exc).__name__, f"{task.path}: internal error: {exc}",
                       started, sha)
    return Outcome(task.name, "parsed", task.output, sha, rows=rows,
                   seconds=time.perf_counter() - started)


def _failed(task: Task, error: str, message: str, started: float,
            sha: str | None = None, hung_on: str | None = None) -> Outcome:
    return Outcome(task.name, "failed", task.output, sha, error, message,
                   seconds=time.perf_counter() - started, hung_on=hung_on)


def _timed_out(task: Task, timeout: float, started: float, hung_on: str | None = None
               ) -> Outcome:
    problem = LimitExceededError(f"parsing took more than {timeout:g} s; stopped",
                                 path=task.path)
    return _failed(task, type(problem).__name__, str(problem), started, hung_on=hung_on)


# --- Local engine: a process pool that can kill one hung worker -------------------------------

def _serve(conn: Connection, parse: Parser) -> None:
    """Worker loop: a task in, an outcome out, until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle
    try:
        while True:
            conn.send(process(conn.recv(), parse))
    except (EOFError, OSError):  # the batch is gone: stop quietly
        return


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    task: Task | None = None
    started: float = 0.0


class _Pool:
    """``jobs`` worker processes, one task each at a time, each with a deadline."""

    def __init__(self, jobs: int, timeout: float, parse: Parser) -> None:
        self._context = get_context("spawn")  # no fork: the parent may hold threads
        self._timeout, self._parse = timeout, parse
        self._workers = [self._start() for _ in range(jobs)]

    def _start(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        child = self._context.Process(target=_serve, args=(theirs, self._parse), daemon=True)
        child.start()
        theirs.close()
        return _Worker(child, ours)

    def _replace(self, worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self._workers[self._workers.index(worker)] = self._start()

    def run(self, tasks: Iterator[Task]) -> Iterator[Outcome]:
        pending = True
        try:
            while True:
                for worker in self._workers:
                    if worker.task is None and pending:
                        task = next(tasks, None)
                        if task is None:
                            pending = False
                            break
                        worker.conn.send(task)
                        worker.task, worker.started = task, time.perf_counter()
                busy = [w for w in self._workers if w.task is not None]
                if not busy:
                    return
                yield from self._collect(busy)
        finally:
            self.close()

    def _collect(self, busy: list[_Worker]) -> Iterator[Outcome]:
        deadline = min(w.started for w in busy) + self._timeout
        ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                         timeout=max(0.0, deadline - time.perf_counter())))
        now = time.perf_counter()
        for worker in busy:
            task = worker.task
            assert task is not None
            if worker.conn in ready or worker.process.sentinel in ready:
                try:
                    outcome: Outcome = worker.conn.recv()
                except (EOFError, OSError):
                    outcome = _failed(task, WorkerCrashedError.__name__,
                                      f"{task.path}: the worker died (exit code "
                                      f"{worker.process.exitcode}) while parsing it",
                                      worker.started)
                    self._replace(worker)
            elif now - worker.started >= self._timeout:
                outcome = _timed_out(task, self._timeout, worker.started)
                self._replace(worker)
                _remove_temporaries(Path(task.output))
            else:
                continue
            worker.task = None
            yield outcome

    def close(self) -> None:
        for worker in self._workers:
            worker.conn.close()  # an idle worker sees EOF and ends
        for worker in self._workers:
            worker.process.join(timeout=1.0)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()


# --- Dask engine ------------------------------------------------------------------------------

def _process_with_deadline(task: Task, parse: Parser, timeout: float) -> Outcome:
    """On a Dask worker: ``process`` with a deadline (a thread cannot be killed, so the
    outcome names the worker, which the batch then restarts when a nanny looks after it)."""
    from distributed import get_worker

    started = time.perf_counter()
    result: list[Outcome] = []
    thread = threading.Thread(target=lambda: result.append(process(task, parse)), daemon=True)
    thread.start()
    thread.join(timeout)
    if result:
        return result[0]
    return _timed_out(task, timeout, started, hung_on=get_worker().address)


def _dask_run(tasks: Iterator[Task], scheduler: str, timeout: float, parse: Parser
              ) -> Iterator[Outcome]:
    from distributed import Client

    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        window = 2 * max(1, sum(client.nthreads().values()))
        inflight: dict[Future[Outcome], Task] = {}
        for task in tasks:
            inflight[client.submit(_process_with_deadline, task, parse, timeout,
                                   pure=False)] = task
            if len(inflight) >= window:
                yield from _dask_collect(client, inflight)
        while inflight:
            yield from _dask_collect(client, inflight)


def _dask_collect(client: Client, inflight: dict[Future[Outcome], Task]) -> Iterator[Outcome]:
    from distributed import wait as dask_wait

    done, _ = dask_wait(list(inflight), return_when="FIRST_COMPLETED")  # type: ignore[no-untyped-call]
    for future in done:
        task = inflight.pop(future)
        try:
            outcome: Outcome = future.result()
        except Exception as problem:  # KilledWorker: the file killed its workers every time
            outcome = _failed(task, type(problem).__name__, f"{task.path}: {problem}",
                              time.perf_counter())
        if outcome.hung_on is not None:
            _restart_if_nanny(client, outcome.hung_on)
        yield outcome


def _restart_if_nanny(client: Client, address: str) -> None:
    info = client.scheduler_info()["workers"].get(address, {})
    if info.get("nanny"):  # a thread-only worker (no nanny) cannot be restarted
        client.restart_workers([address], raise_for_error=False)


# --- Outputs ----------------------------------------------------------------------------------

def _remove_temporaries(output: Path) -> None:
    """Temporary files of ``write_atomic`` for ``output`` left by a killed writer."""
    for stale in output.parent.glob(f".{output.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def _sweep_temporaries(out: Path) -> None:
    for folder, _, names in os.walk(out):
        for name in names:
            if name.startswith(".") and name.endswith(".tmp"):
                Path(folder, name).unlink(missing_ok=True)


def _ends_a_line(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


class _ErrorLog:
    """``errors.jsonl``: whole lines appended as failures come (a kill loses at most the
    line being written, which a reader skips); :meth:`finish` keeps only this run's lines."""

    def __init__(self, path: Path) -> None:
        self.path, self.run = path, uuid.uuid4().hex
        self._handle: TextIO = path.open("a", encoding="utf-8")
        if self._handle.tell() and not _ends_a_line(path):
            self._handle.write("\n")  # close a line cut by a kill: ours must stay whole

    def write(self, outcome: Outcome) -> None:
        line = json.dumps({"file": outcome.name, "error": outcome.error,
                           "message": outcome.message, "sha256": outcome.sha256,
                           "run": self.run}, ensure_ascii=False)
        self._handle.write(line + "\n")
        self._handle.flush()

    def finish(self) -> None:
        """Rewrite the log atomically with this run's lines only (streamed, not held)."""
        self._handle.close()
        kept = self.path.with_name(f".{self.path.name}.{self.run}.tmp")
        with self.path.open(encoding="utf-8") as lines, kept.open("w", encoding="utf-8") as to:
            to.writelines(line for line in lines if self._ours(line))
        if kept.stat().st_size:
            os.replace(kept, self.path)
        else:
            kept.unlink()
            self.path.unlink(missing_ok=True)

    def close(self) -> None:
        self._handle.close()

    def _ours(self, line: str) -> bool:
        try:
            record = json.loads(line)
        except ValueError:  # a line cut by a kill
            return False
        return isinstance(record, dict) and record.get("run") == self.run


class _Display:
    """Thanh tiến trình (progress bar) on stderr with done, failed and skipped counts."""

    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"), TimeElapsedColumn(), TimeRemainingColumn(),
            console=Console(stderr=True),
        )
        self._task = self._progress.add_task("batch", total=total, counts="")
        self._progress.start()

    def update(self, summary: Summary) -> None:
        counts = (f"[green]{summary.parsed} parsed[/] [yellow]{summary.skipped} skipped[/] "
                  f"[red]{summary.failed} failed[/]")
        self._progress.update(self._task, completed=summary.total, counts=counts)

    def close(self) -> None:
        self._progress.stop()


def run_batch(root: str | Path, out: str | Path, *, jobs: int | None = None,
              force: bool = False, timeout: float = 120.0,
              engine: Literal["local", "dask"] = "local", scheduler: str | None = None,
              include: Sequence[str] = (), exclude: Sequence[str] = (),
              store: str | Path | None = None,
              parse: Parser = parse_file, progress: bool = False) -> Summary:
    """Chạy hàng loạt (run a batch) over the folder ``root`` into the folder ``out``.

    ``jobs`` worker processes (default: every core) or, with ``engine="dask"``, the Dask
    cluster at ``scheduler``; ``parse`` turns one path into a :class:`PlanDocument`
    (default :func:`~kehoach_parser.parse_file`; it must be picklable).
    """
    root, out = Path(root), Path(out)
    if not root.is_dir():
        raise KehoachError("not a folder", path=root)
    if engine == "dask" and not scheduler:
        raise KehoachError("the dask engine needs a scheduler address")
    out.mkdir(parents=True, exist_ok=True)
    _sweep_temporaries(out)
    summary = Summary(out, Path(store) if store else out / STORE_NAME, out / ERRORS_NAME)
    started = time.perf_counter()

    def found(onerror: Callable[[str, OSError], None] | None = None
              ) -> Iterator[tuple[Path, str]]:
        return discover(root, include=include, exclude=exclude, skip=out, onerror=onerror)

    display = _Display(sum(1 for _ in found())) if progress else None
    errors = _ErrorLog(summary.errors)

    def unreadable(name: str, problem: OSError) -> None:
        outcome = Outcome(name, "failed", "", error=type(problem).__name__,
                          message=f"{root / name}: folder not read: {problem.strerror}")
        summary.count(outcome)
        errors.write(outcome)

    try:
        with Store(summary.store) as kept:
            tasks = _tasks(found(unreadable), out, kept, force)
            if engine == "dask":
                assert scheduler is not None
                outcomes = _dask_run(tasks, scheduler, timeout, parse)
            else:
                outcomes = _Pool(jobs or os.cpu_count() or 1, timeout, parse).run(tasks)
            _record(outcomes, kept, errors, summary, display)
        errors.finish()
    finally:
        errors.close()
        if display is not None:
            display.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _record(outcomes: Iterator[Outcome], store: Store, errors: _ErrorLog, summary: Summary,
            display: _Display | None, every: float = 2.0, most: int = 128) -> None:
    # Store writes are grouped (one transaction per ~2 s or 128 files): a kill loses at most
    # the last group, whose files the next run parses again.
    pending: dict[str, Rows | None] = {}
    flushed = time.perf_counter()
    for outcome in outcomes:
        summary.count(outcome)
        if outcome.status == "parsed":
            pending[outcome.name] = outcome.rows
        elif outcome.status == "failed":
            errors.write(outcome)
            Path(outcome.output).unlink(missing_ok=True)  # no stale output for a failed file
            pending[outcome.name] = None
        if display is not None:
            display.update(summary)
        if len(pending) >= most or time.perf_counter() - flushed >= every:
            store.replace(pending)
            pending, flushed = {}, time.perf_counter()
    store.replace(pending)

"""Người làm (workers) of a batch: the work on one file, and the engines that run it.

:func:`process` does one file: skip it when unchanged, else parse it and write its JSON. A
failure becomes an :class:`Outcome` naming the file; a failure to write the output is an
:class:`~kehoach_parser.errors.OutputError` (a full disk a ``DiskFullError``), never blamed
on the input.

:class:`Pool` runs tasks in worker processes, one task each at a time, each with a deadline.
A worker runs in a process group of its own (so that what it starts, antiword or
tesseract, goes with it), with a temporary folder of its own (removed however the worker
ends; a batch keeps them in its output folder, where the next run sweeps what a SIGKILL of
the batch left) and, when asked, a limit on its address space (RLIMIT_AS): a parse that runs out of
memory is a ``LimitExceededError`` for its file, not a dead batch. A worker over its
deadline is killed with its group. When the batch is interrupted every worker is stopped:
SIGTERM first, so that converters are ended and temporary files removed, then SIGKILL.

:func:`dask_outcomes` runs the tasks on a Dask cluster: each Dask worker thread hands its
task to a one-process :class:`Pool` of its own, so that a hung parse is killed as a local
one is, not left running on a thread that nothing can stop.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Literal

from .batch_files import output_error, remove_temporaries
from .cli import write_atomic
from .errors import KehoachError, LimitExceededError, printable
from .models import PlanDocument
from .pipeline import parse_file
from .store import Rows, document_rows

if TYPE_CHECKING:
    from distributed import Future

Status = Literal["parsed", "skipped", "failed"]
Parser = Callable[[Path], PlanDocument]
_GRACE = 2.0  # seconds a stopped worker has to end its converters and remove its files


class WorkerCrashedError(KehoachError):
    """The worker parsing a file died (a crash in a native library, out of memory …)."""


@dataclass(frozen=True)
class Task:
    """One file to do: where it is, its name (path relative to the root), its output (and
    the output's path relative to the output folder, for the store)."""

    path: str
    name: str
    output: str
    json_path: str
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


# --- The work on one file (runs in a worker) --------------------------------------------------

def _sha256(path: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def process(task: Task, parse: Parser = parse_file) -> Outcome:
    """Làm một tệp (do one file): skip it when unchanged, else parse it and write its JSON."""
    started = time.perf_counter()
    sha: str | None = None
    where = printable(task.path)
    try:
        sha = _sha256(task.path)
        if sha == task.known_sha256 and os.path.exists(task.output):
            return Outcome(task.name, "skipped", task.output, sha)
        document = parse(Path(task.path))
        rows = document_rows(document, task.name, task.json_path, sha)
        content = document.model_dump_json(indent=2) + "\n"
    except KehoachError as exc:
        return _failed(task, exc, started, sha)
    except MemoryError:
        return _failed(task, LimitExceededError("ran out of memory (the worker's memory "
                                                "limit)", path=task.path), started, sha)
    except OSError as exc:
        return _failed(task, exc, started, sha, f"{where}: {exc.strerror or exc}")
    except Exception as exc:  # a bug on one file must not stop the batch
        return _failed(task, exc, started, sha, f"{where}: internal error: {exc}")
    try:
        write_atomic(Path(task.output), content)
    except OSError as exc:
        return _failed(task, output_error(exc, task.output), started, sha)
    return Outcome(task.name, "parsed", task.output, sha, rows=rows,
                   seconds=time.perf_counter() - started)


def _failed(task: Task, problem: Exception, started: float, sha: str | None = None,
            message: str | None = None) -> Outcome:
    return Outcome(task.name, "failed", task.output, sha, type(problem).__name__,
                   message or str(problem), seconds=time.perf_counter() - started)


# --- Local engine: a process pool that can kill one hung worker -------------------------------

@dataclass(frozen=True)
class _Setup:
    """What a worker process is started with."""

    parse: Parser
    memory: int | None
    tmp: str


def _stop(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds: converters are killed, temporary files removed


def _serve(conn: Connection, setup: _Setup) -> None:
    """Worker loop: a task in, an outcome out, until the pipe closes."""
    with suppress(OSError):
        os.setpgid(0, 0)  # a group of its own: killed with what it starts
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle
    signal.signal(signal.SIGTERM, _stop)
    os.environ["TMPDIR"] = tempfile.tempdir = setup.tmp  # for converters too
    if setup.memory:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = setup.memory if hard == resource.RLIM_INFINITY else min(setup.memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        while True:
            conn.send(process(conn.recv(), setup.parse))
    except (EOFError, OSError):  # the batch is gone: stop quietly
        return


def _signal(child: BaseProcess, number: signal.Signals) -> None:
    """Send ``number`` to the worker's process group (to the worker alone before it has
    made its group)."""
    assert child.pid is not None
    try:
        os.killpg(child.pid, number)
    except (ProcessLookupError, PermissionError):
        with suppress(ProcessLookupError):
            os.kill(child.pid, number)


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    tmp: Path
    task: Task | None = None
    started: float = 0.0


class Pool:
    """``jobs`` worker processes, one task each at a time, each with a deadline; a context
    manager (leaving it on an exception stops the workers and what they started)."""

    def __init__(self, jobs: int, timeout: float, parse: Parser, memory: int | None = None,
                 tmp: Path | None = None) -> None:
        self._context = get_context("spawn")  # no fork: the parent may hold threads
        self._timeout, self._parse, self._memory = timeout, parse, memory
        # The workers' temporary folders: under ``tmp`` (made here, removed at the end), by
        # default a new folder of the system's.
        if tmp is None:
            tmp = Path(tempfile.mkdtemp(prefix="kehoach-batch-"))
        else:
            tmp.mkdir(mode=0o700)
        self._tmp = tmp
        self._started = 0
        self._workers = [self._start() for _ in range(jobs)]

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close(stop=kind is not None)

    def _start(self) -> _Worker:
        self._started += 1
        tmp = self._tmp / f"worker{self._started}"
        tmp.mkdir()
        ours, theirs = self._context.Pipe()
        child = self._context.Process(target=_serve, daemon=True,
                                      args=(theirs, _Setup(self._parse, self._memory, str(tmp))))
        child.start()
        theirs.close()
        return _Worker(child, ours, tmp)

    def _replace(self, worker: _Worker) -> None:
        _signal(worker.process, signal.SIGKILL)
        worker.process.join()
        worker.conn.close()
        shutil.rmtree(worker.tmp, ignore_errors=True)
        self._workers[self._workers.index(worker)] = self._start()

    def run(self, tasks: Iterator[Task]) -> Iterator[Outcome]:
        pending = True
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
                    code = worker.process.exitcode
                    why = " (killed: out of memory?)" if code == -signal.SIGKILL else ""
                    outcome = _failed(task, WorkerCrashedError(
                        f"the worker died (exit code {code}){why} while parsing it",
                        path=task.path), worker.started)
                    self._replace(worker)
                    remove_temporaries(Path(task.output))
            elif now - worker.started >= self._timeout:
                outcome = _failed(task, LimitExceededError(
                    f"parsing took more than {self._timeout:g} s; stopped", path=task.path),
                    worker.started)
                self._replace(worker)
                remove_temporaries(Path(task.output))
            else:
                continue
            worker.task = None
            yield outcome

    def close(self, *, stop: bool = False) -> None:
        """End the workers: idle ones see their pipe close; with ``stop`` (an interrupt)
        busy ones are stopped too, and their temporary files removed."""
        if stop:
            for worker in self._workers:
                _signal(worker.process, signal.SIGTERM)
        for worker in self._workers:
            worker.conn.close()
        deadline = time.monotonic() + (_GRACE if stop else 1.0)
        for worker in self._workers:
            worker.process.join(timeout=max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive() or stop:  # stop: converters may outlive a worker
                _signal(worker.process, signal.SIGKILL)
                worker.process.join()
            if worker.task is not None:
                remove_temporaries(Path(worker.task.output))
        shutil.rmtree(self._tmp, ignore_errors=True)


# --- Dask engine ------------------------------------------------------------------------------

# On a Dask worker: one Pool per (batch run, worker thread).
_POOLS: dict[tuple[str, int], Pool] = {}
_POOLS_LOCK = threading.Lock()


def _on_dask_worker(task: Task, parse: Parser, timeout: float, memory: int | None,
                    run: str) -> Outcome:
    key = (run, threading.get_ident())
    with _POOLS_LOCK:
        pool = _POOLS.get(key)
        if pool is None:
            pool = _POOLS[key] = Pool(1, timeout, parse, memory)
    return next(pool.run(iter([task])))


def _close_pools(run: str) -> None:
    with _POOLS_LOCK:
        pools = [_POOLS.pop(key) for key in list(_POOLS) if key[0] == run]
    for pool in pools:
        pool.close()


def dask_outcomes(tasks: Iterator[Task], scheduler: str, timeout: float, parse: Parser,
                  memory: int | None = None) -> Iterator[Outcome]:
    """The outcomes of ``tasks`` run on the Dask cluster at ``scheduler``."""
    from distributed import Client

    run = uuid.uuid4().hex
    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        try:
            window = 2 * max(1, sum(client.nthreads().values()))
            inflight: dict[Future[Outcome], Task] = {}
            for task in tasks:
                inflight[client.submit(_on_dask_worker, task, parse, timeout, memory, run,
                                       pure=False)] = task
                if len(inflight) >= window:
                    yield from _dask_collect(inflight)
            while inflight:
                yield from _dask_collect(inflight)
        finally:  # the workers' pools end with the batch (an interrupt kills their parses)
            with suppress(Exception):
                client.run(_close_pools, run)


def _dask_collect(inflight: dict[Future[Outcome], Task]) -> Iterator[Outcome]:
    from distributed import wait as dask_wait

    done, _ = dask_wait(list(inflight), return_when="FIRST_COMPLETED")  # type: ignore[no-untyped-call]
    for future in done:
        task = inflight.pop(future)
        try:
            outcome: Outcome = future.result()
        except Exception as problem:  # KilledWorker: the file killed its workers every time
            outcome = _failed(task, problem, time.perf_counter(),
                              message=f"{printable(task.path)}: {problem}")
        yield outcome

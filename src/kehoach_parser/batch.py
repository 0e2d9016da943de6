"""Xử lý hàng loạt (batch runs): a folder of documents into JSON outputs and a DuckDB store.

``run_batch(root, out)`` finds every .txt, .md, .pdf, .docx and .doc file under ``root``
(:func:`~kehoach_parser.batch_files.discover`: a link out of ``root`` is reported, not
followed, unless ``follow_links``), parses each in a worker (:mod:`kehoach_parser.workers`:
a local process pool, or a Dask cluster) and writes:

- ``out/<relative path>.json`` per parsed file, atomically (temporary file, then rename); a
  name too long for the file system is cut and made unique by a digest;
- ``out/errors.jsonl``: one whole JSON line per failed file (``file``, ``error`` — the
  exception class —, ``message``); it exists after every complete run, empty when nothing
  failed. A failure never stops the batch, except a full disk (every later file would fail
  too): that stops it with one :class:`~kehoach_parser.errors.DiskFullError`;
- ``out/plans.duckdb``: the rows of every parsed file (see :mod:`kehoach_parser.store`).

The batch first takes a lock on ``out``: a second batch into the same folder is refused
with an :class:`~kehoach_parser.errors.OutputError` before it touches anything (the first
one's temporary files included). A read-only output folder or a store held by another
process is one such error too. A damaged store is moved aside (``plans.duckdb.damaged``)
and rebuilt from the JSON outputs, with a warning in the summary.

A re-run skips a file whose sha256 and parser version are those recorded in the store and
whose JSON output exists (``force=True`` redoes everything); failed files are always retried,
and at the end of a complete run ``errors.jsonl`` is rewritten to hold only this run's
failures. Files are streamed: memory does not grow with the size of the folder. A document
that takes longer than ``timeout`` seconds is killed and reported as a
:class:`~kehoach_parser.errors.LimitExceededError`, and so is one that needs more than
``memory`` bytes (each worker's address space; default 2 GiB, None for no limit).

Ctrl-C stops the workers and the converters they started, removes their temporary files,
records what was done so far (a re-run skips exactly the files counted as parsed) and
raises :class:`BatchInterrupted`, whose message gives the counts.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import Literal, TextIO

from pydantic import ValidationError

from ._version import __version__
from .batch_files import (
    TEMPORARY_FOLDER,
    Problem,
    discover,
    locked,
    name_max,
    output_error,
    output_name,
    sweep_temporaries,
)
from .errors import CorruptStoreError, DiskFullError, KehoachError, printable
from .models import PlanDocument
from .pipeline import parse_file
from .store import STORE_NAME, Rows, Store, load_documents
from .workers import Outcome, Parser, Pool, Task, dask_outcomes

__all__ = ["ERRORS_NAME", "BatchInterrupted", "Summary", "discover", "run_batch"]

ERRORS_NAME = "errors.jsonl"
MEMORY = 2 * 1024**3  # bytes of address space per worker: ~7x what the largest real file takes
DAMAGED = ".damaged"


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
    warnings: list[str] = field(default_factory=list)

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

    def counts(self) -> str:
        return (f"{self.parsed} parsed, {self.skipped} skipped (unchanged), "
                f"{self.failed} failed")

    def __str__(self) -> str:
        rate = self.parsed / self.seconds if self.seconds else 0.0
        lines = [f"{self.total} files: {self.counts()} in {self.seconds:.1f} s "
                 f"({rate:.1f} parsed/s)", f"outputs in {self.out}, store {self.store}"]
        lines += [f"warning: {warning}" for warning in self.warnings]
        if self.failed:
            lines.append(f"failures in {self.errors}:")
            lines += [f"  {name}: {problem}" for name, problem in self.failures]
            if self.failed > len(self.failures):
                lines.append(f"  … and {self.failed - len(self.failures)} more")
        return "\n".join(lines)


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C during a batch: what was done is recorded; the message gives the counts."""

    def __init__(self, summary: Summary) -> None:
        super().__init__(f"{summary.counts()} before the interrupt (recorded in "
                         f"{summary.out}); run the same command again to complete the batch")
        self.summary = summary


def _tasks(found: Iterable[tuple[Path, str]], out: Path, store: Store, force: bool,
           longest: int, chunk: int = 256) -> Iterator[Task]:
    # The store is asked about a chunk of files at once: no table of every file in memory.
    iterator = iter(found)
    while batch := list(islice(iterator, chunk)):
        known = {} if force else store.known([name for _, name in batch])
        for path, name in batch:
            recorded = known.get(name)
            relative = output_name(name, longest)
            yield Task(str(path), name, str(out / relative), relative,
                       recorded[0] if recorded and recorded[1] == __version__ else None)


# --- Outputs ----------------------------------------------------------------------------------

def _ends_a_line(path: Path) -> bool:
    with path.open("rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"


class _ErrorLog:
    """``errors.jsonl``: whole lines appended as failures come (a kill loses at most the
    line being written, which a reader skips); :meth:`finish` keeps only this run's lines."""

    def __init__(self, path: Path) -> None:
        self.path, self.run = path, uuid.uuid4().hex
        try:
            self._handle: TextIO = path.open("a", encoding="utf-8")
            if self._handle.tell() and not _ends_a_line(path):
                self._handle.write("\n")  # close a line cut by a kill: ours must stay whole
        except OSError as exc:
            raise output_error(exc, path) from exc

    def write(self, outcome: Outcome) -> None:
        line = json.dumps({"file": outcome.name, "error": outcome.error,
                           "message": outcome.message, "sha256": outcome.sha256,
                           "run": self.run}, ensure_ascii=False)
        try:
            self._handle.write(line + "\n")
            self._handle.flush()
        except OSError as exc:
            raise output_error(exc, self.path) from exc

    def finish(self) -> None:
        """Rewrite the log atomically with this run's lines only (streamed, not held)."""
        self._handle.close()
        kept = self.path.with_name(f".{self.path.name}.{self.run}.tmp")
        try:
            with (self.path.open(encoding="utf-8") as lines,
                  kept.open("w", encoding="utf-8") as to):
                to.writelines(line for line in lines if self._ours(line))
            os.replace(kept, self.path)
        except OSError as exc:
            kept.unlink(missing_ok=True)
            raise output_error(exc, self.path) from exc

    def close(self) -> None:
        with suppress(OSError):  # a full disk: the lines written are whole already
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


# --- The store --------------------------------------------------------------------------------

@contextmanager
def _open_store(summary: Summary, root: Path) -> Iterator[Store]:
    """The batch's store; a damaged one is moved aside and rebuilt from the JSON outputs."""
    try:
        store = Store(summary.store)
    except CorruptStoreError as damaged:
        aside = summary.store.with_name(summary.store.name + DAMAGED)
        try:
            os.replace(summary.store, aside)
            wal = Path(f"{summary.store}.wal")
            if wal.exists():
                os.replace(wal, f"{aside}.wal")
        except OSError as exc:
            raise output_error(exc, summary.store, "cannot move the damaged store") from exc
        store = Store(summary.store)
        count = load_documents(store, _outputs(summary.out, root))
        summary.warnings.append(f"{damaged}: moved to {aside.name} and rebuilt from {count} "
                                "JSON outputs")
    with store:
        yield store


def _outputs(out: Path, root: Path) -> Iterator[tuple[str, str, PlanDocument]]:
    """``(name, json_path, document)`` of every readable JSON output of ``root`` in ``out``
    (one that is not readable, or of another folder, is parsed again by the batch)."""
    folder = printable(str(root))
    for path in sorted(out.rglob("*.json")):
        relative = path.relative_to(out).as_posix()
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        try:
            document = PlanDocument.model_validate_json(path.read_bytes())
            name = PurePosixPath(document.source.path or "").relative_to(folder).as_posix()
        except (OSError, ValidationError, ValueError):
            continue
        yield name, relative, document


def _record(outcomes: Iterator[Outcome], store: Store, errors: _ErrorLog, summary: Summary,
            display: _Display | None, every: float = 2.0, most: int = 128) -> None:
    # Store writes are grouped (one transaction per ~2 s or 128 files): a kill loses at most
    # the last group, whose files the next run parses again; an interrupt or an error
    # loses nothing, so that a re-run agrees with what was counted.
    pending: dict[str, Rows | None] = {}
    flushed = time.perf_counter()
    try:
        for outcome in outcomes:
            if outcome.error == DiskFullError.__name__:
                raise DiskFullError(f"{outcome.message}; the batch stopped after "
                                    f"{summary.total} files: make room and run it again")
            summary.count(outcome)
            if outcome.status == "parsed":
                pending[outcome.name] = outcome.rows
            elif outcome.status == "failed":
                errors.write(outcome)
                with suppress(IsADirectoryError):  # a folder holds the name: nothing of ours
                    Path(outcome.output).unlink(missing_ok=True)  # no stale output
                pending[outcome.name] = None
            if display is not None:
                display.update(summary)
            if len(pending) >= most or time.perf_counter() - flushed >= every:
                store.replace(pending)
                pending, flushed = {}, time.perf_counter()
    except BaseException:
        with suppress(KehoachError):
            store.replace(pending)
        raise
    store.replace(pending)


# --- The run ----------------------------------------------------------------------------------

def run_batch(root: str | Path, out: str | Path, *, jobs: int | None = None,
              force: bool = False, timeout: float = 120.0,
              engine: Literal["local", "dask"] = "local", scheduler: str | None = None,
              include: Sequence[str] = (), exclude: Sequence[str] = (),
              store: str | Path | None = None, parse: Parser = parse_file,
              progress: bool = False, follow_links: bool = False,
              memory: int | None = MEMORY) -> Summary:
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
    with locked(out):
        sweep_temporaries(out)
        summary = Summary(out, Path(store) if store else out / STORE_NAME, out / ERRORS_NAME)
        started = time.perf_counter()

        def found(onerror: Callable[[str, Problem], None] | None = None
                  ) -> Iterator[tuple[Path, str]]:
            return discover(root, include=include, exclude=exclude, skip=out, onerror=onerror,
                            follow_links=follow_links)

        try:
            display = _Display(sum(1 for _ in found())) if progress else None
            errors = _ErrorLog(summary.errors)

            def refused(name: str, problem: Problem) -> None:
                message = (str(problem) if isinstance(problem, KehoachError) else
                           f"{printable(str(root / name))}: folder not read: {problem.strerror}")
                outcome = Outcome(name, "failed", "", error=type(problem).__name__,
                                  message=message)
                summary.count(outcome)
                errors.write(outcome)

            try:
                with _open_store(summary, root) as kept:
                    tasks = _tasks(found(refused), out, kept, force, name_max(out))
                    if engine == "dask":
                        assert scheduler is not None
                        _record(dask_outcomes(tasks, scheduler, timeout, parse, memory), kept,
                                errors, summary, display)
                    else:
                        with Pool(jobs or os.cpu_count() or 1, timeout, parse, memory,
                                  out / TEMPORARY_FOLDER) as pool:
                            _record(pool.run(tasks), kept, errors, summary, display)
                errors.finish()
            finally:
                errors.close()
                if display is not None:
                    display.close()
        except KeyboardInterrupt as interrupt:
            raise BatchInterrupted(summary) from interrupt
        summary.seconds = time.perf_counter() - started
    return summary

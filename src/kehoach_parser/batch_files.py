"""Tệp của một lô (the files of a batch): finding the inputs, naming the outputs, the lock.

:func:`discover` walks the input folder. A symbolic link is not followed by default: one
pointing inside the folder names a file that is read under its own name anyway, and one
pointing outside it (or broken, or looping) is reported as a
:class:`~kehoach_parser.errors.LinkError`, never read. With ``follow_links`` links are
followed, each folder read once (a loop is reported, not walked ~40 levels deep).

:func:`output_name` names the JSON output of an input: ``<relative path>.json``, with a
part that the file system would refuse as too long (with the temporary name that
``write_atomic`` writes first) cut and made unique by a digest; a name's bytes that are not
UTF-8 are written as ``\\xff`` escapes (:func:`~kehoach_parser.errors.printable`).

:func:`locked` holds a lock on the output folder for the whole batch, so that a second
batch into the same folder is refused before it touches anything.
"""

from __future__ import annotations

import errno
import fcntl
import fnmatch
import hashlib
import os
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import DiskFullError, KehoachError, LinkError, OutputError, printable

SUFFIXES = frozenset({".txt", ".md", ".pdf", ".docx", ".doc"})
LOCK_NAME = ".kehoach-batch.lock"
TEMPORARY_FOLDER = ".kehoach-tmp"  # in OUT: the workers' temporary folders (converters')
# write_atomic (cli.py) writes ".<name>.<8 random characters>.tmp" beside the output first.
TEMPORARY_EXTRA = len(".") + len(".") + 8 + len(".tmp")
_DIGEST = 16  # hex digits of sha256 that make a cut name unique
Problem = OSError | KehoachError


# --- Finding the inputs ---------------------------------------------------------------------

def discover(root: Path, *, include: Sequence[str] = (), exclude: Sequence[str] = (),
             skip: Path | None = None, onerror: Callable[[str, Problem], None] | None = None,
             follow_links: bool = False) -> Iterator[tuple[Path, str]]:
    """Tìm tệp (find the input files) under ``root``, depth-first in name order.

    Yields ``(path, name)`` with ``name`` the POSIX path relative to ``root`` (printable).
    Hidden files and folders (``.name``) are left out, and so are names matching a glob of
    ``exclude``, files matching no glob of ``include`` (when given) and the folder ``skip``
    (the output folder when it lies inside ``root``). In a glob, ``*`` also matches ``/``.
    A folder that cannot be read and a link that is not followed (see the module notes) are
    passed to ``onerror`` with their name and the problem.
    """
    inside = root.resolve()
    skip_real = skip.resolve() if skip is not None else None
    seen: set[tuple[int, int]] = set()  # (device, inode) of every folder read
    stack = [root]

    def report(name: str, problem: Problem) -> None:
        if onerror is not None:
            onerror(name, problem)

    while stack:
        folder = stack.pop()
        name = printable(folder.relative_to(root).as_posix())
        try:
            if skip_real is not None and folder.resolve() == skip_real:
                continue
            status = folder.stat()
            if (status.st_dev, status.st_ino) in seen:
                report(name, LinkError("a link to a folder already read (a loop); not read "
                                       "again", path=folder))
                continue
            seen.add((status.st_dev, status.st_ino))
            with os.scandir(folder) as entries:
                ordered = sorted((e for e in entries if not e.name.startswith(".")),
                                 key=lambda e: e.name)
        except OSError as exc:
            report(name, exc)
            continue
        files, folders = [], []
        for entry in ordered:
            name = printable(Path(entry.path).relative_to(root).as_posix())
            if any(fnmatch.fnmatch(name, pattern) for pattern in exclude):
                continue
            try:
                if entry.is_symlink() and not _follow(Path(entry.path), inside, follow_links):
                    continue
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except KehoachError as problem:
                report(name, problem)
                continue
            except OSError as exc:  # a link that loops on itself: ELOOP
                report(name, LinkError(f"a link that cannot be followed: {exc.strerror}",
                                       path=entry.path))
                continue
            if is_dir:
                folders.append(Path(entry.path))
            elif (is_file and Path(entry.name).suffix.lower() in SUFFIXES
                  and (not include or any(fnmatch.fnmatch(name, p) for p in include))):
                files.append((Path(entry.path), name))
        yield from files
        stack.extend(reversed(folders))


def _follow(link: Path, inside: Path, follow_links: bool) -> bool:
    """Whether to read what ``link`` points at; a :class:`LinkError` when it is refused."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop (Python < 3.13)
        raise LinkError(f"a broken or looping link: {getattr(exc, 'strerror', None) or exc}",
                        path=link) from exc
    if follow_links:
        return True
    if target.is_relative_to(inside):
        return False  # read under its own name
    raise LinkError(f"a link to {target}, outside the folder; not read (follow_links / "
                    "--follow-links to read it)", path=link)


# --- Naming and writing the outputs ---------------------------------------------------------

def output_name(name: str, name_max: int = 255) -> str:
    """The output's path relative to OUT for the input ``name`` (see the module notes).

    >>> output_name("sub/a.txt")
    'sub/a.txt.json'
    >>> cut = output_name("b/" + "ạ" * 100 + ".txt")
    >>> len(cut.split("/")[1].encode()) <= 255 - TEMPORARY_EXTRA, cut.endswith(".txt.json")
    (True, False)
    """
    *folders, last = name.split("/")
    parts = [_fit(folder, "", name_max) for folder in folders]
    return "/".join([*parts, _fit(last, ".json", name_max - TEMPORARY_EXTRA)])


def _fit(part: str, suffix: str, room: int) -> str:
    whole = part + suffix
    if len(whole.encode("utf-8")) <= room:
        return whole
    tag = "~" + hashlib.sha256(part.encode("utf-8")).hexdigest()[:_DIGEST]
    keep = room - len(tag) - len(suffix)
    return part.encode("utf-8")[:keep].decode("utf-8", "ignore") + tag + suffix


def name_max(folder: Path) -> int:
    """The longest file name (bytes) the file system of ``folder`` takes."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def output_error(exc: OSError, path: str | Path, what: str = "cannot write the output"
                 ) -> OutputError:
    """The typed error for an OSError met while writing an output: the input is not to blame."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(f"no space left on the device ({exc.strerror})", path=path)
    return OutputError(f"{what}: {exc.strerror or exc}", path=path)


def remove_temporaries(output: Path) -> None:
    """Temporary files of ``write_atomic`` for ``output`` left by a killed writer."""
    for stale in output.parent.glob(f".{output.name}.*.tmp"):
        stale.unlink(missing_ok=True)


def sweep_temporaries(out: Path) -> None:
    """Every temporary file under ``out``, and the workers' temporary folder (only the
    batch holding the lock may do this)."""
    shutil.rmtree(out / TEMPORARY_FOLDER, ignore_errors=True)
    for folder, _, names in os.walk(out):
        for name in names:
            if name.startswith(".") and name.endswith(".tmp"):
                Path(folder, name).unlink(missing_ok=True)


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the lock of the output folder ``out``; an :class:`OutputError` when another
    batch holds it or the folder cannot be written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise output_error(exc, out, "cannot write into the output folder") from exc
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
            raise OutputError(f"another batch (process {holder or '?'}) is writing into this "
                              "folder; wait for it to end or choose another output folder",
                              path=out) from None
        with suppress(OSError):  # who holds it: a courtesy, not worth failing for
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock

"""Biểu thức (patterns): every fixed pattern of the library compiled once per machine.

The ``regex`` module compiles in pure Python: the library's few hundred patterns, many of
them alternations of whole vocabularies, cost about a quarter of a second at the start of
every process (every ``kehoach`` command, every batch worker). A compiled ``regex`` pattern
pickles as its compiled code, and unpickling it costs a few microseconds, so the patterns a
process compiled are kept in one file per version of the library, of ``regex`` and of Python
and read back by the next process.

The file lives in ``$KEHOACH_PARSER_CACHE_DIR``, else ``$XDG_CACHE_HOME/kehoach_parser``,
else ``~/.cache/kehoach_parser``; ``KEHOACH_PARSER_CACHE_DIR=`` (empty) turns it off. A
missing, unreadable or damaged file only means compiling again; writing it never fails a
run (it is written whole, under a temporary name, then renamed).

Only fixed patterns belong here (the vocabularies of ``data/`` are fixed); a pattern built
from a document's own words is compiled with ``regex.compile`` and never kept.

>>> from kehoach_parser import patterns
>>> so = patterns.compile(r"[Ss]ố\\s*(\\d+)")
>>> so.search("Kế hoạch số 12/KH-UBND")[1]
'12'
>>> patterns.compile(r"[Ss]ố\\s*(\\d+)") is so
True
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, AnyStr

import regex

from ._version import __version__

_Key = tuple[str | bytes, int]
_compiled: dict[_Key, regex.Pattern[Any]] | None = None  # read on first use
_new = False  # compiled in this process, not yet in the file


def cache_file() -> Path | None:
    """The file of compiled patterns for this library, ``regex`` and Python, or None when
    the cache is turned off (``KEHOACH_PARSER_CACHE_DIR`` set empty)."""
    folder = os.environ.get("KEHOACH_PARSER_CACHE_DIR")
    if folder == "":
        return None
    if folder is None:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        folder = str(Path(xdg) / "kehoach_parser")
    python = f"{sys.version_info.major}{sys.version_info.minor}"
    return Path(folder) / f"patterns-{__version__}-regex{regex.__version__}-py{python}.pickle"


def compile(pattern: AnyStr, flags: int = 0) -> regex.Pattern[AnyStr]:
    """``regex.compile(pattern, flags)``, read from the machine's cache when it is there."""
    global _compiled, _new
    if _compiled is None:
        _compiled = _load()
    key = (pattern, flags)
    found: regex.Pattern[AnyStr] | None = _compiled.get(key)
    if found is None:
        found = _compiled[key] = regex.compile(pattern, flags)
        _new = True
    return found


def _load() -> dict[_Key, regex.Pattern[Any]]:
    path = cache_file()
    if path is None:
        return {}
    # A damaged or foreign file (truncated, another format) is no cache: compile again.
    with contextlib.suppress(Exception), path.open("rb") as stream:
        loaded = pickle.load(stream)
        if isinstance(loaded, dict) and all(
                isinstance(k, tuple) and isinstance(v, regex.Pattern) for k, v in loaded.items()):
            return loaded
    return {}


def save() -> None:
    """Write the patterns compiled so far to the cache file (at exit, when new ones were
    compiled); a folder that cannot be written is left alone."""
    global _new
    path = cache_file()
    if path is None or not _compiled or not _new:
        return
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(_compiled, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _new = False


atexit.register(save)  # does nothing unless this process compiled a pattern the file lacks


def longest_first(words: Iterable[str]) -> list[str]:
    """The words of an alternation, each once, longest first (a longer name wins over its
    own beginning), ties in code-point order: the same pattern in every process, whatever
    order a set gave them in, so that it is found in the cache and matches the same way.

    >>> longest_first({"Sở", "Sở Y tế", "Bộ", "Ban"})
    ['Sở Y tế', 'Ban', 'Bộ', 'Sở']
    """
    return sorted(set(words), key=lambda word: (-len(word), word))

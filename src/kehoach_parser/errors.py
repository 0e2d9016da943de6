"""One exception hierarchy for everything the parser refuses.

Every error names the file (when there is one) and the problem, so a batch can log one
line per failed file. Doubts that do not stop parsing go into ``PlanDocument.warnings``
instead.
"""

from __future__ import annotations

from os import PathLike


def printable(text: str) -> str:
    """``text`` with lone surrogates written as escapes, so that it can be printed, logged
    and written as UTF-8 JSON: the bytes of a non-UTF-8 file name (which Python keeps as
    surrogates) become ``\\xff``, any other lone surrogate ``\\ud800``.

    >>> printable("b\\udce1o c\\udce1o.txt"), printable("a\\ud800b"), printable("Kế hoạch")
    ('b\\\\xe1o c\\\\xe1o.txt', 'a\\\\ud800b', 'Kế hoạch')
    """
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that is not an escaped byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


class KehoachError(Exception):
    """Base class: lỗi của kehoach_parser (any error this library raises on purpose)."""

    def __init__(self, problem: str, *, path: str | PathLike[str] | None = None) -> None:
        self.problem = printable(problem)
        self.path = None if path is None else printable(str(path))
        super().__init__(f"{self.path}: {self.problem}" if self.path else self.problem)


class InputError(KehoachError):
    """The input cannot be read as a document."""


class FileMissingError(InputError):
    """The path does not exist."""


class NotAFileError(InputError):
    """The path is a directory or another non-regular file."""


class EmptyInputError(InputError):
    """The file or string holds no text."""


class BinaryInputError(InputError):
    """The bytes are binary data, not text."""


class DecodingError(InputError):
    """The bytes are text in an encoding the parser cannot decode."""


class UnsupportedFormatError(InputError):
    """The file's format (by extension and content) is not one the parser reads."""


class FormatMismatchError(InputError):
    """The file's extension lies about its content (a PDF named .docx, …)."""


class CorruptFileError(InputError):
    """The file is truncated or damaged."""


class EncryptedFileError(InputError):
    """The file is password-protected."""


class NoTextLayer(InputError):
    """A PDF without a text layer (a scan) and OCR was not asked for or is not installed."""


class ConverterMissingError(InputError):
    """A legacy format needs an external converter that is not installed."""


class LimitExceededError(InputError):
    """The input exceeds a configured limit (bytes, pages, decompressed size, time)."""


class LinkError(InputError):
    """A symbolic link that is not followed: it points outside the folder, loops or is broken."""


class OutputError(KehoachError):
    """An output cannot be written (a read-only folder, a name the file system refuses, a
    store that another process holds); the input is not to blame."""


class DiskFullError(OutputError):
    """No space left on the device of the outputs: a batch stops at the first such file."""


class CorruptStoreError(OutputError):
    """The DuckDB store is damaged (a batch rebuilds it from its JSON outputs)."""


class QueryRefusedError(KehoachError):
    """An SQL statement that ``kehoach query`` does not run (it reads the store's tables only)."""


class SkippedFileWarning(UserWarning):
    """A file left out of a folder read as a whole (a JSON file that is not a kehoach
    output, in a folder compared): the message names the file and why."""

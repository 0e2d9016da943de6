"""One exception hierarchy for everything the parser refuses.

Every error names the file (when there is one) and the problem, so a batch can log one
line per failed file. Doubts that do not stop parsing go into ``PlanDocument.warnings``
instead.
"""

from __future__ import annotations

from os import PathLike


class KehoachError(Exception):
    """Base class: lỗi của kehoach_parser (any error this library raises on purpose)."""

    def __init__(self, problem: str, *, path: str | PathLike[str] | None = None) -> None:
        self.problem = problem
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {problem}" if self.path else problem)


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

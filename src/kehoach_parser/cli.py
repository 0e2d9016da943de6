"""Dòng lệnh (command line): ``kehoach parse``, ``kehoach schema``.

``main(argv)`` runs in-process and returns the exit code: 0 ok, 1 some file failed, 2 bad
usage. A failed file prints one line on stderr, never a traceback, and the others go on.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ._version import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def write_atomic(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename, so that a
    crash never leaves a half-written file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cmd_parse(args: argparse.Namespace) -> int:
    from .errors import KehoachError
    from .loaders import LoadOptions
    from .pipeline import parse_file

    options = LoadOptions(ocr=args.ocr)
    failed = 0
    jsonl = args.stdout and (args.jsonl or len(args.files) > 1)
    for name in args.files:
        path = Path(name)
        try:
            document = parse_file(path, options=options)
        except KehoachError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        except Exception as exc:  # a bug must not stop the other files
            print(f"error: {path}: internal error {type(exc).__name__}: {exc}", file=sys.stderr)
            failed += 1
            continue
        if args.stdout:
            print(document.model_dump_json(indent=None if jsonl else 2))
        else:
            out = Path(args.out) / f"{path.stem}.json"
            write_atomic(out, document.model_dump_json(indent=2) + "\n")
            if not args.quiet:
                print(f"{path} -> {out}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    from .schema import schema_text

    if args.out:
        write_atomic(Path(args.out), schema_text())
    else:
        sys.stdout.write(schema_text())
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kehoach",
        description="Turn Vietnamese administrative plans (Kế hoạch), công văn and quyết định "
        "into structured JSON.",
    )
    parser.add_argument("--version", action="version", version=f"kehoach_parser {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    parse = commands.add_parser(
        "parse", help="parse files into JSON documents",
        description="Parse .txt, .md, .pdf, .docx or .doc files. Writes OUT/<stem>.json per "
        "file (UTF-8, atomically), or prints to stdout.",
    )
    parse.add_argument("files", nargs="+", metavar="FILE", help="input files")
    target = parse.add_mutually_exclusive_group(required=True)
    target.add_argument("--out", metavar="DIR", help="write DIR/<stem>.json for each file")
    target.add_argument("--stdout", action="store_true",
                        help="print the JSON (one file: indented; several: JSON lines)")
    parse.add_argument("--jsonl", action="store_true",
                       help="with --stdout: always print one JSON document per line")
    parse.add_argument("--ocr", action="store_true",
                       help="OCR scanned PDFs with Tesseract when it is installed")
    parse.add_argument("-q", "--quiet", action="store_true", help="do not list written files")
    parse.set_defaults(func=_cmd_parse)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of the output",
        description="Print (or write) the JSON Schema the output follows.",
    )
    schema.add_argument("--out", metavar="FILE", help="write the schema to FILE")
    schema.set_defaults(func=_cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage, 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    code: int = args.func(args)
    return code

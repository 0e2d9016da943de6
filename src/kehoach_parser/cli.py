"""Dòng lệnh (command line): ``kehoach parse``, ``schema``, ``batch``, ``query``, ``compare``.

``main(argv)`` runs in-process and returns the exit code: 0 ok, 1 some file failed, 2 bad
usage. A failed file prints one line on stderr, never a traceback, and the others go on.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeAlias

from ._version import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file and a rename, so that a
    crash never leaves a half-written file behind."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are for sharing
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


def _cmd_batch(args: argparse.Namespace) -> int:
    from functools import partial

    from .batch import run_batch
    from .errors import KehoachError
    from .loaders import LoadOptions
    from .pipeline import parse_file

    try:
        summary = run_batch(
            args.folder, args.out, jobs=args.jobs, force=args.force, timeout=args.timeout,
            engine=args.engine, scheduler=args.scheduler, include=args.include,
            exclude=args.exclude,
            store=args.store, progress=not args.quiet and sys.stderr.isatty(),
            parse=partial(parse_file, options=LoadOptions(ocr=args.ocr, timeout=args.timeout)),
        )
    except KehoachError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted: run the same command again to complete the batch", file=sys.stderr)
        return 130
    if not args.quiet or summary.failed:
        print(summary, file=sys.stderr)
    return EXIT_FAILED if summary.failed else EXIT_OK


def _write_rows(columns: list[str], chunks: Iterator[list[tuple[object, ...]]],
                format: str) -> None:
    import csv
    import json

    if format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for chunk in chunks:
            writer.writerows(chunk)
    elif format == "json":
        records = [dict(zip(columns, row, strict=True)) for chunk in chunks for row in chunk]
        print(json.dumps(records, ensure_ascii=False, indent=2, default=str))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table()
        for column in columns:
            table.add_column(column, overflow="fold")  # wrap, never cut a value
        for chunk in chunks:
            for row in chunk:
                table.add_row(*("" if cell is None else str(cell) for cell in row))
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 200
        Console(highlight=False, width=width).print(table)


def _cmd_query(args: argparse.Namespace) -> int:
    import duckdb

    from .data import load
    from .store import Store, store_path

    examples = {entry["name"]: entry for entry in load("queries")["queries"]}
    if args.list:
        for name, entry in examples.items():
            print(f":{name:<18} {entry['description']}")
        return EXIT_OK
    if not args.sql:
        print("error: give an SQL statement, or :name of an example (--list)", file=sys.stderr)
        return EXIT_USAGE
    sql = args.sql
    if sql.startswith(":"):
        if sql[1:] not in examples:
            print(f"error: no example query {sql} (see --list)", file=sys.stderr)
            return EXIT_USAGE
        sql = examples[sql[1:]]["sql"]
    try:
        with Store(store_path(args.store), read_only=True) as store:
            columns, chunks = store.stream(sql)
            _write_rows(columns, chunks, args.format)
    except BrokenPipeError:  # `kehoach query … | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (duckdb.Error, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    import duckdb

    from .compare import compare_plans
    from .errors import KehoachError
    from .report import Format, render

    output = args.html or args.output
    format: Format = "html" if args.html else args.format
    try:
        frame = compare_plans(args.source, indicators=args.indicator, year=args.year,
                              catalogue=args.catalogue)
    except (KehoachError, ValueError, duckdb.Error, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    on_screen = not output and sys.stdout.isatty()
    text = render(frame, format, width=shutil.get_terminal_size().columns if on_screen else 160)
    if output:
        write_atomic(Path(output), text)
    else:
        sys.stdout.write(text)
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
    _add_batch(commands)
    _add_query(commands)
    _add_compare(commands)
    return parser


def _add_batch(commands: Subcommands) -> None:
    batch = commands.add_parser(
        "batch", help="parse a folder in parallel into JSON outputs and a DuckDB store",
        description="Parse every .txt, .md, .pdf, .docx and .doc file under FOLDER (recursively) "
        "in parallel. Writes OUT/<relative path>.json per file (atomically), OUT/errors.jsonl "
        "(one line per failed file) and the store OUT/plans.duckdb. A re-run skips files whose "
        "sha256 and parser version are unchanged. Exit code 1 when any file failed.",
    )
    batch.add_argument("folder", metavar="FOLDER", help="folder of documents")
    batch.add_argument("--out", required=True, metavar="OUT", help="output folder")
    batch.add_argument("-j", "--jobs", type=int, metavar="N",
                       help="worker processes (default: all cores)")
    batch.add_argument("--force", action="store_true", help="redo files even when unchanged")
    batch.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                       help="time limit per document; a hung one is killed (default 120)")
    batch.add_argument("--include", action="append", default=[], metavar="GLOB",
                       help="only files whose path (relative to FOLDER) matches GLOB; "
                       "repeatable")
    batch.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="leave out paths (relative to FOLDER) matching GLOB; repeatable")
    batch.add_argument("--store", metavar="FILE", help="DuckDB file (default OUT/plans.duckdb)")
    batch.add_argument("--engine", choices=["local", "dask"], default="local",
                       help="local process pool (default) or a Dask cluster")
    batch.add_argument("--scheduler", metavar="ADDRESS",
                       help="Dask scheduler address (with --engine dask), tcp://host:8786")
    batch.add_argument("--ocr", action="store_true",
                       help="OCR scanned PDFs with Tesseract when it is installed")
    batch.add_argument("-q", "--quiet", action="store_true",
                       help="no progress bar and no summary unless a file failed")
    batch.set_defaults(func=_cmd_batch)


def _add_query(commands: Subcommands) -> None:
    query = commands.add_parser(
        "query", help="run SQL on the store of a batch",
        description="Run one SQL statement on OUT/plans.duckdb (tables documents, sections, "
        "targets, agencies, citations), or an example query by :name.",
    )
    query.add_argument("store", metavar="OUT", help="batch output folder, or a .duckdb file")
    query.add_argument("sql", nargs="?", metavar="SQL", help="SQL, or :name of an example")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    query.add_argument("--list", action="store_true", help="list the example queries")
    query.set_defaults(func=_cmd_query)


def _add_compare(commands: Subcommands) -> None:
    compare = commands.add_parser(
        "compare", help="compare targets between localities and with the national target",
        description="A table of indicator x locality (the target each plan sets) beside the "
        "national target, flagging targets weaker than the national one or than the parent "
        "city's or province's plan.",
    )
    compare.add_argument("source", metavar="OUT",
                         help="batch output folder (its store, else its JSON files)")
    compare.add_argument("--indicator", action="extend", nargs="+", metavar="ID",
                         help="only these indicator ids")
    compare.add_argument("--year", type=int, metavar="Y", help="only plans for year Y")
    compare.add_argument("--format", choices=["table", "csv", "md", "html", "json"],
                         default="table")
    compare.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    compare.add_argument("--html", metavar="FILE",
                         help="write the HTML report (charts) to FILE; same as "
                         "--format html --output FILE")
    compare.add_argument("--catalogue", metavar="FILE",
                         help="indicator catalogue TOML (default: the bundled one)")
    compare.set_defaults(func=_cmd_compare)


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

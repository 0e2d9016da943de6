"""Dòng lệnh (command line): ``kehoach parse``, ``schema``, ``batch``, ``query``, ``compare``,
``indicators suggest``.

``main(argv)`` runs in-process and returns the exit code: 0 ok, 1 some file failed, 2 bad
usage, 130 interrupted (Ctrl-C). A failed file prints one line on stderr, never a traceback,
and the others go on. Bad usage — a bad option value, a missing folder or store, an unknown
indicator, two inputs that would be written to one output — prints one line
(``kehoach COMMAND: error: …``) before anything is read or written.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, TypeAlias

from ._version import __version__

if TYPE_CHECKING:
    from .loaders import LoadOptions

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad usage found by a command (exit code 2, one line)."""


class _Parser(argparse.ArgumentParser):
    """argparse with one line for bad usage instead of the usage block and the error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


Subcommands: TypeAlias = "argparse._SubParsersAction[_Parser]"


def _positive(kind: type[int] | type[float], what: str) -> Callable[[str], float]:
    def convert(value: str) -> float:
        try:
            number = kind(value)
        except ValueError:
            number = 0
        if not 0 < number < float("inf"):
            raise argparse.ArgumentTypeError(f"must be a positive {what}, not {value!r}")
        return number

    return convert


_SECONDS = _positive(float, "number of seconds")
_COUNT = _positive(int, "whole number")


def _megabytes(value: str) -> int:
    """A memory limit in MB; 0 for none."""
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number of MB (0 for none), not "
                                         f"{value!r}")
    return int(value)


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
    from .loaders import LoadOptions

    options = LoadOptions(ocr=args.ocr)
    jsonl = args.stdout and (args.jsonl or len(args.files) > 1)
    outputs = (dict.fromkeys(args.files) if args.stdout
               else _outputs(args.files, Path(args.out)))
    failed = done = 0
    try:
        for name, out in outputs.items():
            failed += not _parse_one(Path(name), out, options, jsonl, args.quiet)
            done += 1
    except KeyboardInterrupt:
        raise KeyboardInterrupt(f"{done} of {len(outputs)} files done") from None
    return EXIT_FAILED if failed else EXIT_OK


def _parse_one(path: Path, out: Path | None, options: LoadOptions, jsonl: bool,
               quiet: bool) -> bool:
    """Parse one file to ``out`` (None: stdout); False, with one line on stderr, when it
    failed."""
    from .errors import KehoachError
    from .pipeline import parse_file

    try:
        document = parse_file(path, options=options)
    except KehoachError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return False
    except Exception as exc:  # a bug must not stop the other files
        print(f"error: {path}: internal error {type(exc).__name__}: {exc}", file=sys.stderr)
        return False
    if out is None:
        print(document.model_dump_json(indent=None if jsonl else 2))
        return True
    write_atomic(out, document.model_dump_json(indent=2) + "\n")
    if not quiet:
        print(f"{path} -> {out}", file=sys.stderr)
    return True


def _outputs(files: Sequence[str], out: Path) -> dict[str, Path | None]:
    """``OUT/<stem>.json`` for each input (a file named twice is parsed once); UsageError
    when different inputs would be written to one output (``a.txt`` and ``a.pdf``,
    ``x/plan.txt`` and ``y/plan.txt``): ``kehoach batch`` names outputs by relative path."""
    claims: dict[Path, dict[str, str]] = {}  # output -> {absolute input: name as given}
    for name in files:
        output = out / f"{Path(name).stem}.json"
        claims.setdefault(output, {}).setdefault(os.path.abspath(name), name)
    clashes = [(output, list(names.values())) for output, names in claims.items()
               if len(names) > 1]
    if clashes:
        output, names = clashes[0]
        more = f" (and {len(clashes) - 1} more clashes)" if len(clashes) > 1 else ""
        raise UsageError(
            f"{', '.join(names[:-1])} and {names[-1]} would be written to one output, "
            f"{output}{more}: give them different --out folders, or use "
            "`kehoach batch FOLDER --out OUT` (OUT/<relative path>.json)")
    return {next(iter(names.values())): output for output, names in claims.items()}


def _cmd_schema(args: argparse.Namespace) -> int:
    from .schema import schema_text

    if args.out:
        write_atomic(Path(args.out), schema_text())
    else:
        sys.stdout.write(schema_text())
    return EXIT_OK


def _cmd_batch(args: argparse.Namespace) -> int:
    from functools import partial

    from .batch import MEMORY, run_batch
    from .errors import KehoachError, OutputError
    from .loaders import LoadOptions
    from .pipeline import parse_file

    if not Path(args.folder).is_dir():
        raise UsageError(f"{args.folder}: not a folder")
    _engine(args)
    try:
        summary = run_batch(
            args.folder, args.out, jobs=args.jobs, force=args.force, timeout=args.timeout,
            engine=args.engine, scheduler=args.scheduler, include=args.include,
            exclude=args.exclude,
            store=args.store, progress=not args.quiet and sys.stderr.isatty(),
            parse=partial(parse_file, options=LoadOptions(ocr=args.ocr, timeout=args.timeout)),
            follow_links=args.follow_links,
            memory=MEMORY if args.memory is None else (args.memory * 1024**2 or None),
        )
    except OutputError as exc:  # the outputs could not be written: a failure, not bad usage
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KehoachError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:  # BatchInterrupted: the counts, and what to do
        raise KeyboardInterrupt(str(exc) or "run the same command again to complete the "
                                "batch") from None
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
    from .errors import KehoachError
    from .store import STORE_NAME, Store, store_path

    examples = {entry["name"]: entry for entry in load("queries")["queries"]}
    if args.list:
        for name, entry in examples.items():
            print(f":{name:<18} {entry['description']}")
        return EXIT_OK
    if not args.sql:
        raise UsageError("give an SQL statement, or :name of an example (--list)")
    sql = args.sql
    if sql.startswith(":"):
        if sql[1:] not in examples:
            raise UsageError(f"no example query {sql} (see --list)")
        sql = examples[sql[1:]]["sql"]
    if not store_path(args.store).is_file():
        raise UsageError(f"{args.store}: no store: give a batch output folder holding "
                         f"{STORE_NAME} (`kehoach batch FOLDER --out OUT` makes one) or a "
                         ".duckdb file")
    try:
        with Store(store_path(args.store), read_only=True) as store:
            columns, chunks = store.stream(sql)
            _write_rows(columns, chunks, args.format)
    except BrokenPipeError:  # `kehoach query … | head`: the reader had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (duckdb.Error, FileNotFoundError, KehoachError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _engine(args: argparse.Namespace) -> None:
    if args.engine == "dask" and not args.scheduler:
        raise UsageError("--engine dask needs --scheduler ADDRESS")


def _check_source(args: argparse.Namespace) -> None:
    """The batch output, the engine and the catalogue of ``compare`` and ``indicators
    suggest``, checked before anything is read."""
    from .compare import references
    from .errors import KehoachError

    if not Path(args.source).exists():
        raise UsageError(f"{args.source}: no such folder or store")
    _engine(args)
    try:
        references(args.catalogue)
    except KehoachError as exc:
        raise UsageError(str(exc)) from None


@contextmanager
def _skipped_files() -> Iterator[None]:
    """Files left out of a folder are said on stderr, one line each, as they are met."""
    from .errors import SkippedFileWarning

    shown = warnings.showwarning

    def show(message: Warning | str, category: type[Warning], filename: str, lineno: int,
             file: TextIO | None = None, line: str | None = None) -> None:
        if issubclass(category, SkippedFileWarning):
            print(f"warning: {message}", file=sys.stderr)
        else:
            shown(message, category, filename, lineno, file, line)

    with warnings.catch_warnings():
        warnings.simplefilter("always", SkippedFileWarning)
        warnings.showwarning = show
        yield


def _cmd_compare(args: argparse.Namespace) -> int:
    import duckdb

    from .compare import compare_plans
    from .errors import KehoachError
    from .report import Format, render

    output = args.html or args.output
    format: Format = "html" if args.html else args.format
    _check_source(args)
    try:
        with _skipped_files():
            frame = compare_plans(args.source, indicators=args.indicator, year=args.year,
                                  catalogue=args.catalogue, min_localities=args.min_localities,
                                  engine=args.engine, scheduler=args.scheduler)
    except ValueError as exc:  # an indicator neither in the catalogue nor inferred
        raise UsageError(str(exc)) from None
    except (KehoachError, duckdb.Error, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    on_screen = not output and sys.stdout.isatty()
    text = render(frame, format, width=shutil.get_terminal_size().columns if on_screen else 160,
                  nothing=_nothing(args))
    if output:
        write_atomic(Path(output), text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _nothing(args: argparse.Namespace) -> str:
    """Why a comparison came out empty, and what to try."""
    asked = [f"--indicator {' '.join(args.indicator)}"] if args.indicator else []
    asked += [f"--year {args.year}"] if args.year is not None else []
    if asked:
        return (f"no plan in {args.source} sets a target for {' '.join(asked)}; without the "
                "selection, `kehoach compare` shows what there is")
    return (f"no plan in {args.source} sets a target mapped to an indicator of the catalogue, "
            f"nor one that {args.min_localities} localities set alike. If it holds no plans "
            "yet, run `kehoach batch FOLDER --out OUT` first; `kehoach query OUT "
            ":unmapped_targets` lists the targets no indicator matched")


def _cmd_suggest(args: argparse.Namespace) -> int:
    import duckdb

    from .errors import KehoachError
    from .suggest import suggest_catalogue

    _check_source(args)
    try:
        with _skipped_files():
            text = suggest_catalogue(args.source, catalogue=args.catalogue,
                                     min_localities=args.min_localities, engine=args.engine,
                                     scheduler=args.scheduler)
    except (KehoachError, duckdb.Error, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if text is None:
        print(f"nothing to suggest: no target of {args.source} outside the catalogue is set "
              f"alike by {args.min_localities} localities (try --min-localities 1); nothing "
              "written", file=sys.stderr)
        return EXIT_FAILED
    if args.out:
        write_atomic(Path(args.out), text)
        print(f"{text.count('[[indicators]]')} indicators -> {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
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
    _add_indicators(commands)
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
    batch.add_argument("-j", "--jobs", type=_COUNT, metavar="N",
                       help="worker processes (default: all cores)")
    batch.add_argument("--force", action="store_true", help="redo files even when unchanged")
    batch.add_argument("--timeout", type=_SECONDS, default=120.0, metavar="SECONDS",
                       help="time limit per document; a hung one is killed (default 120)")
    batch.add_argument("--include", action="append", default=[], metavar="GLOB",
                       help="only files whose path (relative to FOLDER) matches GLOB; "
                       "repeatable")
    batch.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                       help="leave out paths (relative to FOLDER) matching GLOB; repeatable")
    batch.add_argument("--store", metavar="FILE", help="DuckDB file (default OUT/plans.duckdb)")
    _add_engine(batch, "local process pool (default) or a Dask cluster")
    batch.add_argument("--ocr", action="store_true",
                       help="OCR scanned PDFs with Tesseract when it is installed")
    batch.add_argument("--follow-links", action="store_true",
                       help="follow symbolic links (by default a link pointing outside FOLDER, "
                       "broken or looping is reported in errors.jsonl and not read)")
    batch.add_argument("--memory", type=_megabytes, metavar="MB",
                       help="address-space limit per worker in MB (default 2048; 0 for none); "
                       "a file that needs more fails with LimitExceededError")
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


def _add_engine(command: argparse.ArgumentParser, choices: str) -> None:
    command.add_argument("--engine", choices=["local", "dask"], default="local", help=choices)
    command.add_argument("--scheduler", metavar="ADDRESS",
                         help="Dask scheduler address (with --engine dask), tcp://host:8786")


def _add_compare(commands: Subcommands) -> None:
    compare = commands.add_parser(
        "compare", help="compare targets between localities and with the national target",
        description="A table of indicator x locality (the target each plan sets) beside the "
        "national target, flagging targets weaker than the national one or than the parent "
        "city's or province's plan. Targets no catalogue indicator covers are grouped by what "
        "they measure: a group set by --min-localities localities is an inferred indicator "
        "(marked ≈).",
    )
    compare.add_argument("source", metavar="OUT",
                         help="batch output folder (its store, else its JSON files)")
    compare.add_argument("--indicator", action="extend", nargs="+", metavar="ID",
                         help="only these indicator ids (catalogue or inferred)")
    compare.add_argument("--year", type=int, metavar="Y", help="only plans for year Y")
    compare.add_argument("--min-localities", type=_COUNT, default=2, metavar="N",
                         help="show an inferred indicator set by at least N localities "
                         "(default 2)")
    compare.add_argument("--format", choices=["table", "csv", "md", "html", "json"],
                         default="table")
    compare.add_argument("--output", metavar="FILE", help="write to FILE instead of stdout")
    compare.add_argument("--html", metavar="FILE",
                         help="write the HTML report (charts) to FILE; same as "
                         "--format html --output FILE")
    compare.add_argument("--catalogue", metavar="FILE",
                         help="indicator catalogue TOML (default: the bundled one)")
    _add_engine(compare, "group targets in this process (default) or on a Dask cluster")
    compare.set_defaults(func=_cmd_compare)


def _add_indicators(commands: Subcommands) -> None:
    indicators = commands.add_parser(
        "indicators", help="indicator catalogues: suggest one from a batch",
        description="Indicator catalogues (docs/indicators.md, docs/compare.md).")
    verbs = indicators.add_subparsers(dest="verb", metavar="VERB", required=True,
                                      parser_class=_Parser)
    suggest = verbs.add_parser(
        "suggest", help="write the inferred indicators of a batch as a catalogue",
        description="Group the targets of OUT that the catalogue does not cover by what they "
        "measure, and write each group set by --min-localities localities as an indicator of "
        "a catalogue TOML (id, label, units, cues, examples from the documents): edit it and "
        "pass it back with `kehoach compare OUT --catalogue FILE`. Exit code 1 when there is "
        "nothing to suggest (nothing is written).")
    suggest.add_argument("source", metavar="OUT",
                         help="batch output folder (its store, else its JSON files)")
    suggest.add_argument("--out", metavar="FILE",
                         help="write the catalogue to FILE (atomically) instead of stdout")
    suggest.add_argument("--min-localities", type=_COUNT, default=2, metavar="N",
                         help="indicators set by at least N localities (default 2)")
    suggest.add_argument("--catalogue", metavar="FILE",
                         help="leave out the targets this catalogue covers (default: the "
                         "bundled one)")
    _add_engine(suggest, "group targets in this process (default) or on a Dask cluster")
    suggest.set_defaults(func=_cmd_suggest)


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
    try:
        code: int = args.func(args)
    except UsageError as exc:
        command = " ".join(filter(None, (args.command, getattr(args, "verb", None))))
        print(f"{parser.prog} {command}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt as exc:  # Ctrl-C: one line, no traceback
        print(f"interrupted{f': {exc}' if str(exc) else ''}", file=sys.stderr)
        return EXIT_INTERRUPTED
    return code

"""Shared fixtures: the bundled corpus and the seed documents."""

from __future__ import annotations

import importlib.util
import tomllib
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CASES = Path(__file__).parent / "cases"
SHARED = ROOT.parent / "shared"


def load_cases(name: str) -> dict[str, Any]:
    with (CASES / name).open("rb") as handle:
        return tomllib.load(handle)


@cache
def scorer() -> ModuleType:
    """``../shared/tools/score.py`` as a module, to score in-process with its own rules."""
    spec = importlib.util.spec_from_file_location("score", SHARED / "tools" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus_texts() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def corpus_documents() -> dict[str, Any]:
    from kehoach_parser import parse_file

    return {path.stem: parse_file(path) for path in corpus_texts()}

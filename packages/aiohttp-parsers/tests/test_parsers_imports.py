"""Every module imports on its own (no import cycles) and __all__ is exact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import aiohttp_parsers

MODULES = sorted(
    "aiohttp_parsers." + p.stem
    for p in Path(aiohttp_parsers.__file__).parent.glob("*.py")
    if p.stem != "__init__"
)


def test_each_module_imports_first() -> None:
    # One interpreter per module: a cycle only shows when that module is first.
    code = "import importlib, sys; importlib.import_module(sys.argv[1])"
    procs = [subprocess.Popen([sys.executable, "-c", code, name]) for name in MODULES]
    assert [p.wait() for p in procs] == [0] * len(procs)


def test_star_import_matches_all() -> None:
    namespace: dict[str, object] = {}
    exec("from aiohttp_parsers import *", namespace)
    exported = {k for k in namespace if k != "__builtins__"}
    assert exported == set(aiohttp_parsers.__all__)


@pytest.mark.parametrize("name", aiohttp_parsers.__all__)
def test_public_names_documented(name: str) -> None:
    obj = getattr(aiohttp_parsers, name)
    if callable(obj) and not name.startswith("Parser"):
        assert obj.__doc__, name

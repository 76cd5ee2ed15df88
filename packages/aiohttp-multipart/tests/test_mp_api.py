"""The public surface: exactly what __all__ lists, importable, documented."""

from __future__ import annotations

import importlib
import subprocess
import sys

import aiohttp_multipart

EXPECTED_2016 = {
    "BadContentDispositionHeader",
    "BadContentDispositionParam",
    "BodyPartReader",
    "BodyPartWriter",
    "MultipartReader",
    "MultipartResponseWrapper",
    "MultipartWriter",
    "content_disposition_filename",
    "parse_content_disposition",
}


def test_all_is_exact() -> None:
    exported = set(aiohttp_multipart.__all__)
    assert EXPECTED_2016 <= exported
    namespace: dict[str, object] = {}
    exec("from aiohttp_multipart import *", namespace)
    assert set(namespace) - {"__builtins__"} == exported
    for name in exported:
        assert hasattr(aiohttp_multipart, name), name


def test_public_names_have_docstrings() -> None:
    for name in aiohttp_multipart.__all__:
        obj = getattr(aiohttp_multipart, name)
        if callable(obj):
            assert obj.__doc__, name


def test_warning_classes() -> None:
    assert issubclass(aiohttp_multipart.BadContentDispositionHeader, RuntimeWarning)
    assert issubclass(aiohttp_multipart.BadContentDispositionParam, RuntimeWarning)


def test_import_in_a_fresh_interpreter_no_cycles() -> None:
    for module in (
        "aiohttp_multipart",
        *(
            f"aiohttp_multipart.{m}"
            for m in (
                "_disposition",
                "_encodings",
                "_headers",
                "_limits",
                "_reader",
                "_source",
                "_writer",
            )
        ),
    ):
        subprocess.run([sys.executable, "-W", "error", "-c", f"import {module}"], check=True)
        importlib.import_module(module)

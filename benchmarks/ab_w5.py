"""W5 A/B: this checkout's aiohttp_multipart against another copy of it, in one process.

Usage: python benchmarks/ab_w5.py OTHER_PACKAGE_DIR [--rounds N] [--file-mib M]

OTHER_PACKAGE_DIR is an ``aiohttp_multipart`` source directory, e.g. from
``git archive <rev> packages/aiohttp-multipart/src/aiohttp_multipart | tar -x -C /tmp/old``.
It is loaded under another module name, and both run the suite's W5
consumer, interleaved with the ``floor`` row and multipart (defnull), the
garbage collector off while timing. Changes of a few tens of microseconds
drown in the noise between separate suite runs; side by side they do not.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import aiohttp_multipart

sys.path.insert(0, str(Path(__file__).resolve().parent))

from suite import (
    impls,  # noqa: E402
    inputs as I,  # noqa: E402, I001, N812
)
from suite.interleave import interleaved_medians  # noqa: E402


def load_copy(path: str, name: str) -> ModuleType:
    init = Path(path) / "__init__.py"
    spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[path])
    if spec is None or spec.loader is None:
        raise SystemExit(f"no package at {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--file-mib", type=int, default=8)
    args = parser.parse_args()
    rows = {
        "floor": impls.w5_floor,
        "this": functools.partial(impls.w5_ours, multipart=aiohttp_multipart),
        "other": functools.partial(
            impls.w5_ours, multipart=load_copy(args.other, "aiohttp_multipart_other")
        ),
        "multipart": impls.w5_multipart,
    }
    data, _ = I.w5_form(args.file_mib)
    runs = {name: make(data) for name, make in rows.items()}
    assert runs["this"]() == runs["other"](), "the two copies decode the form differently"
    med = interleaved_medians(runs, args.rounds, reps=10)
    for name, us in med.items():
        print(
            f"{name:10s} {us:8.1f} us  over floor {us - med['floor']:6.1f}  "
            f"multipart / this row {med['multipart'] / us:.3f}x"
        )


if __name__ == "__main__":
    main()

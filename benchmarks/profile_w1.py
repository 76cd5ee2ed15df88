"""Where W1's time goes in ours: the figures behind "W1 compiled" in README.md.

Usage: python benchmarks/profile_w1.py [--requests N]

Runs with whatever build of aiohttp_parsers the interpreter has (the first
line says which: run it with ``benchmarks/.envs/compiled/bin/python`` after
a suite run for the mypyc twins). Each figure is the best of 5 runs with
the garbage collector off, over the same 20,000 requests as W1:

- the whole W1 workload, as the suite drives it;
- the 2016 API's driving alone: the same loop with every head already
  parsed (two generator parsers, the buffer and the outputs per request);
- ``parse_request_head`` over the 20,000 heads, and three of its parts:
  the header-section ``findall``, decoding the name/value pairs, and
  building the ``CIMultiDict``;
- httptools over the same pieces, if it is installed.

The parts run over a list of 20,000 separate heads (about 10 MiB), not
over one 64 KiB piece at a time as the adapter does, so they pay more
cache misses and do not add up exactly to the whole.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from suite import (
    impls,  # noqa: E402
    inputs as I,  # noqa: E402, I001, N812
)


def best(run: Callable[[], Any], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20_000)
    n = parser.parse_args().requests

    from multidict import CIMultiDict, CIMultiDictProxy

    import aiohttp_parsers._http_parser as adapters
    from aiohttp_parsers import _speedups
    from aiohttp_parsers._abnf import FIELD_LINE_RE
    from aiohttp_parsers._head import parse_request_head

    data, _expected = I.w1_requests(n)
    heads = [h + b"\r\n\r\n" for h in b"".join(data).split(b"\r\n\r\n")[:-1]]
    sections = [(h, h.find(b"\r\n"), len(h) - 4) for h in heads]
    raws = [FIELD_LINE_RE.findall(h, start, end) for h, start, end in sections]
    limits = (8190, 128, 8190)

    def decode(raw: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
        return [(k.decode("ascii"), v.decode("utf-8", "surrogateescape")) for k, v in raw]

    pairs = [decode(r) for r in raws]

    rows: list[tuple[str, float]] = []
    gc.disable()
    rows.append(("whole W1 (the suite's adapter)", best(impls.w1_ours(data))))
    prebuilt = parse_request_head(heads[0], *limits)
    real = adapters.parse_request_head
    adapters.parse_request_head = lambda *args: prebuilt  # type: ignore[assignment]  # a stub
    try:
        rows.append(("2016 driving alone (heads pre-parsed)", best(impls.w1_ours(data))))
    finally:
        adapters.parse_request_head = real
    parts: list[tuple[str, Callable[[], Any]]] = [
        ("parse_request_head", lambda: [parse_request_head(h, *limits) for h in heads]),
        ("  header section findall", lambda: [FIELD_LINE_RE.findall(*s) for s in sections]),
        ("  decoding the pairs", lambda: [decode(r) for r in raws]),
        (
            "  CIMultiDict(Proxy) of the pairs",
            lambda: [CIMultiDictProxy(CIMultiDict(p)) for p in pairs],
        ),
    ]
    rows += [(label, best(run)) for label, run in parts]
    try:
        rows.append(("httptools, whole W1", best(impls.w1_httptools(data))))
    except ImportError:
        pass
    gc.enable()

    build = "compiled (mypyc)" if _speedups.COMPILED else "pure Python"
    print(f"aiohttp_parsers build: {build}; {n} requests")
    for label, seconds in rows:
        print(f"{label:42} {seconds * 1e3:8.1f} ms {seconds / n * 1e6:6.2f} us/request")


if __name__ == "__main__":
    main()

"""One implementation on one workload, in its own process.

``python -m suite.worker W IMPL [--quick]`` (cwd: benchmarks/) builds the
inputs, runs the workload once and checks the decoded content (untimed),
prints one JSON line ``{"ready": ...}`` and then answers commands read from
stdin, one per line:

- ``run``: one sample, the mean of ``loops`` timed runs (garbage collected
  before each, collector off while timing, as timeit does); prints
  ``{"seconds": s}``, the last result checked. ``loops`` is calibrated
  once so that a sample takes at least ``MIN_SAMPLE`` (as pyperf does):
  a workload of a few milliseconds is then not decided by what another
  process left in the CPU caches;
- anything else: exit.

With ``--mem`` it instead runs once in the fresh process (peak RSS growth
over what inputs and imports took) and once under tracemalloc (peak traced
bytes, which include the decoded output the workload keeps), prints one
JSON line and exits.

The coordinator (run_all.py) interleaves rounds across workers.
"""

from __future__ import annotations

import gc
import json
import math
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial
from typing import Any

from . import (
    impls,
    inputs as I,  # noqa: N812
)

# impl name -> workload -> adapter(inputs) -> run
ADAPTERS: dict[str, dict[str, Callable[[Any], impls.Run]]] = {
    "ours": {
        "W1": impls.w1_ours,
        "W2": impls.w2_ours,
        "W3": impls.w3_ours,
        "W4": impls.w4_ours,
        "W5": impls.w5_ours,
        "W6": impls.w6_ours,
    },
    "h11": {"W1": impls.w1_h11, "W2": impls.w2_h11},
    "httptools": {"W1": impls.w1_httptools, "W2": impls.w2_httptools},
    "wsproto": {"W3": impls.w3_wsproto, "W4": impls.w4_wsproto},
    "websockets": {"W3": impls.w3_websockets, "W4": impls.w4_websockets},
    "websockets-C": {
        "W3": partial(impls.w3_websockets, pure=False),
        "W4": partial(impls.w4_websockets, pure=False),
    },
    "multipart": {"W5": impls.w5_multipart},
    "floor": {"W5": impls.w5_floor},
    "python-multipart": {"W5": impls.w5_python_multipart},
    "streaming-form-data": {"W5": impls.w5_streaming_form_data},
    "asyncio": {"W6": impls.w6_asyncio},
    "aiohttp3-py": {
        "W1": impls.w1_aiohttp3,
        "W2": impls.w2_aiohttp3,
        "W3": impls.w3_aiohttp3,
        "W4": impls.w4_aiohttp3,
        "W5": impls.w5_aiohttp3,
        "W6": impls.w6_aiohttp3,
    },
}
ADAPTERS["ours-mypyc"] = ADAPTERS["ours"]
ADAPTERS["aiohttp3-C"] = {w: ADAPTERS["aiohttp3-py"][w] for w in ("W1", "W2", "W3", "W4")}

# Least timed time per sample, in seconds, and the most runs it may take.
MIN_SAMPLE = 0.1
MAX_LOOPS = 50

# Items per workload, for the per-item memory columns.
ITEMS = {"W1": "request", "W2": "MiB", "W3": "frame", "W4": "frame", "W5": "part", "W6": "line"}


def build(workload: str, scale: I.Scale) -> tuple[Any, Callable[[Any], None], int]:
    """(adapter input, check(result), item count) for ``workload``."""
    if workload == "W1":
        data, expected = I.w1_requests(scale.requests)

        def check1(result: Any) -> None:
            got = [(m, p, n, c) for m, p, n, c in result]
            assert got == expected, "requests differ"

        return data, check1, scale.requests
    if workload == "W2":
        data, body = I.w2_chunked(scale.chunked_mib)

        def check2(result: Any) -> None:
            assert b"".join(result) == body, "body differs"

        return data, check2, scale.chunked_mib
    msgs = I.ws_messages(scale.small_frames, scale.large_frames)
    count = scale.small_frames + scale.large_frames
    if workload == "W3":
        data = I.w3_stream(msgs)
        want = [*msgs.texts, *msgs.blobs]

        def check3(result: Any) -> None:
            assert len(result) == len(want), f"{len(result)} messages"
            assert [bytes(r) if not isinstance(r, str) else r for r in result] == want

        return data, check3, count
    if workload == "W4":

        def check4(result: Any) -> None:
            frames = I.decode_frames(b"".join(result))
            assert frames == [(1, t.encode()) for t in msgs.texts] + [(2, b) for b in msgs.blobs], (
                "frames differ"
            )

        return msgs, check4, count
    if workload == "W5":
        data, parts = I.w5_form(scale.file_mib)

        def check5(result: Any) -> None:
            got = [(n, f, b"".join(p)) for n, f, p in result]
            assert got == parts, "parts differ"

        return data, check5, len(parts)
    if workload == "W6":
        data, total = I.w6_lines(scale.lines)

        def check6(result: Any) -> None:
            assert result == (scale.lines, total), f"got {result}"

        return data, check6, scale.lines
    raise ValueError(workload)


def _all_bytes_check(data: list[bytes]) -> Callable[[Any], None]:
    """The check for the floor row, which decodes nothing: every byte taken in."""
    total = sum(map(len, data))

    def check(result: Any) -> None:
        assert sum(map(len, result)) == total, "bytes missing"

    return check


def _timed(run: impls.Run) -> tuple[float, Any]:
    """One run's time and result: collected before, no collector while timed."""
    gc.collect()
    gc.disable()
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    gc.enable()
    return seconds, result


def _version(impl: str, workload: str) -> str:
    import importlib.metadata

    from suite import TWIN_PACKAGE

    dist = {
        "ours-mypyc": TWIN_PACKAGE[workload].replace("_", "-"),
        "ours": "aiohttp",
        "aiohttp3-py": "aiohttp",
        "aiohttp3-C": "aiohttp",
        "websockets-C": "websockets",
        "asyncio": None,
        "floor": None,
    }.get(impl, impl)
    if dist is None:
        return sys.version.split()[0]
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def _emit(obj: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main() -> None:
    workload, impl = sys.argv[1], sys.argv[2]
    scale = I.Scale.quick() if "--quick" in sys.argv else I.Scale()
    data, check, items = build(workload, scale)
    if impl == "floor":
        check = _all_bytes_check(data)
    run = ADAPTERS[impl][workload](data)
    if impl == "ours-mypyc":
        import importlib

        from suite import TWIN_PACKAGE

        speedups = importlib.import_module(f"{TWIN_PACKAGE[workload]}._speedups")
        assert speedups.COMPILED, "the mypyc twins are not in use"
    if "--mem" in sys.argv:
        # A fresh process: the peak RSS so far is the inputs' (and imports').
        gc.collect()
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = run()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
        check(result)
        del result
        gc.collect()
        tracemalloc.start()
        result = run()
        _size, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        _emit({"rss_growth_kib": rss, "traced_peak": peak, "items": items})
        return
    try:
        check(run())  # warm-up and correctness, untimed
        status = "ok"
    except AssertionError as exc:
        status = f"WRONG: {exc}"
    loops = max(1, min(MAX_LOOPS, math.ceil(MIN_SAMPLE / _timed(run)[0])))
    hello = {"ready": True, "check": status, "version": _version(impl, workload)}
    _emit({**hello, "items": items, "loops": loops})
    for line in sys.stdin:
        cmd = line.strip()
        if cmd == "run":
            total = 0.0
            for _ in range(loops):
                seconds, result = _timed(run)
                total += seconds
            check(result)
            del result
            _emit({"seconds": total / loops})
        else:
            break


if __name__ == "__main__":
    main()

"""The benchmark suite: one command for W1-W7, results in RESULTS.md.

Usage (from the repository root)::

    hatch run bench:all                    # everything (W7 ~3 minutes)
    hatch run bench:all --quick            # ~10x smaller inputs, short W7
    hatch run bench:all --only W1,W3 --rounds 3 --no-w7

Each implementation runs in its own worker process (``suite/worker.py``):
ours and the pure-Python and C peers in this environment, aiohttp 3.x in
a venv of its own under ``benchmarks/.envs/`` (our meta-package is named
``aiohttp``, so the two cannot share one), created on first use with
``python -m venv`` and ``pip install aiohttp==3.* aiohttp-wsgi``. Inputs are
built in each worker before timing; every worker first checks that it
decoded exactly the expected content; then the rounds are interleaved:
round r asks every worker for one timed sample (the mean of as many runs
as take 0.1 s, calibrated per worker), in a new random order each round.
The rounds are spread over several processes per implementation (30
rounds over 10 by default: each worker is restarted after every 3
samples), as pyperf spawns many, since one process's address layout can
shift all its samples alike. The table gives medians and each time's
ratio to ours (above 1: ours is faster) with a 95% bootstrap interval
that resamples the processes. Memory (``--mem``, on by default for W1, W3, W5) runs
each implementation once more in a fresh process. W7 loads WSGI servers
with wrk (``suite/w7.py``).

A full run rewrites RESULTS.md; ``--only`` / ``--quick`` runs print only,
unless ``--write`` is given.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ENVS = HERE / ".envs"
AIOHTTP3_ENV = ENVS / "aiohttp3"
AIOHTTP3_REQS = ["aiohttp==3.*", "aiohttp-wsgi"]
# Overridable so that concurrent runs do not rebuild one shared venv.
COMPILED_ENV = Path(os.environ.get("AIOHTTP_BENCH_COMPILED_ENV", ENVS / "compiled"))
PACKAGES = HERE.parent / "packages"
# Our distributions, without the meta-package (whose name is PyPI's aiohttp).
OUR_DISTS = (
    "aiohttp-errors",
    "aiohttp-streams",
    "aiohttp-parsers",
    "aiohttp-websocket",
    "aiohttp-multipart",
    "aiohttp-wsgi",
)


def compiled_twins() -> tuple[str, ...]:
    """Workloads whose hot modules have a mypyc twin (a package with a
    ``_speedups`` switch, see its hatch_build.py): they get an "ours-mypyc" row."""
    from suite import TWIN_PACKAGE

    return tuple(
        w
        for w, module in TWIN_PACKAGE.items()
        if (PACKAGES / module.replace("_", "-") / "src" / module / "_speedups.py").exists()
    )


WORKLOADS: dict[str, tuple[str, list[str]]] = {
    "W1": (
        "20,000 pipelined GET requests (10 header fields), 64 KiB pieces, parsed",
        ["ours", "h11", "aiohttp3-py", "httptools", "aiohttp3-C"],
    ),
    "W2": (
        "chunked response, 8 MiB body in 4 KiB chunks, 64 KiB pieces, de-chunked",
        ["ours", "h11", "aiohttp3-py", "httptools", "aiohttp3-C"],
    ),
    "W3": (
        "20,000 masked 125 B text frames + 200 masked 64 KiB binary frames, parsed",
        ["ours", "wsproto", "websockets", "aiohttp3-py", "websockets-C", "aiohttp3-C"],
    ),
    "W4": (
        "the same messages written (server text unmasked, client binary masked)",
        ["ours", "wsproto", "websockets", "aiohttp3-py", "websockets-C", "aiohttp3-C"],
    ),
    "W5": (
        "multipart/form-data, 10 fields + two 8 MiB files, 64 KiB pieces via a stream",
        ["ours", "multipart", "python-multipart", "aiohttp3-py", "streaming-form-data", "floor"],
    ),
    "W6": (
        "1,000,000 short lines through StreamReader.readline(), 16 KiB pieces",
        ["ours", "asyncio", "aiohttp3-py"],
    ),
}
# Compiled code on the measured path: reference only, not a pure-Python peer.
COMPILED = {"httptools", "aiohttp3-C", "websockets-C", "streaming-form-data", "ours-mypyc"}
# Not an implementation: the least any parser does in the harness (see
# suite/impls.py w5_floor); it bounds the ratio a parser can reach.
REFERENCE = {"floor"}
MEMORY_WORKLOADS = ("W1", "W3", "W5")


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = ""
    try:
        load = f", load average {os.getloadavg()[0]:.2f} at start"
    except OSError:
        pass
    return (
        f"{platform.python_implementation()} {platform.python_version()} on "
        f"{platform.system()} {platform.release()} {platform.machine()}, "
        f"{os.cpu_count()} cores" + (f", {cpu}" if cpu else "") + mem + load
    )


def aiohttp3_python() -> Path | None:
    """The aiohttp 3.x venv's interpreter, created on first use; None if impossible."""
    py = AIOHTTP3_ENV / "bin" / "python"
    if py.exists():
        return py
    print(f"creating {AIOHTTP3_ENV} ({' '.join(AIOHTTP3_REQS)}) ...", flush=True)
    try:
        subprocess.run([sys.executable, "-m", "venv", str(AIOHTTP3_ENV)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", *AIOHTTP3_REQS],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"  aiohttp 3.x environment not available: {exc}", flush=True)
        shutil.rmtree(AIOHTTP3_ENV, ignore_errors=True)
        return None
    return py


def compiled_python() -> Path | None:
    """A venv with our wheels built with the mypyc hook on; None if that fails.

    Rebuilt on every run, so it always matches the tree. Needs a C compiler
    and the build requirements (hatchling, mypy, setuptools) from the index.
    """
    py = COMPILED_ENV / "bin" / "python"
    wheels = COMPILED_ENV / "wheels"
    print(f"building the mypyc wheels into {COMPILED_ENV} ...", flush=True)
    env = {**os.environ, "HATCH_BUILD_HOOK_ENABLE_CUSTOM": "1"}
    try:
        if not py.exists():
            subprocess.run([sys.executable, "-m", "venv", str(COMPILED_ENV)], check=True)
            subprocess.run(
                [str(py), "-m", "pip", "install", "-q", "build"], check=True, capture_output=True
            )
        shutil.rmtree(wheels, ignore_errors=True)
        for dist in OUR_DISTS:
            subprocess.run(
                [str(py), "-m", "build", "--wheel", "--outdir", str(wheels), str(PACKAGES / dist)],
                check=True,
                capture_output=True,
                env=env,
            )
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps",
             *map(str, wheels.glob("*.whl"))],
            check=True,
            capture_output=True,
        )  # fmt: skip
        # Their third-party dependencies (multidict, yarl) from the index.
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", *map(str, wheels.glob("*.whl"))],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        err = getattr(exc, "stderr", b"") or b""
        print(f"  compiled build not available: {exc} {err.decode(errors='replace')[-500:]}")
        return None
    return py


class Worker:
    """A worker process: one implementation on one workload."""

    def __init__(self, workload: str, impl: str, python: Path, quick: bool) -> None:
        self.impl = impl
        env = dict(os.environ)
        if impl == "aiohttp3-py":
            env["AIOHTTP_NO_EXTENSIONS"] = "1"
        cmd = [str(python), "-m", "suite.worker", workload, impl]
        if quick:
            cmd.append("--quick")
        self.cmd = cmd
        self.env = env
        self.times: list[float] = []
        # The samples of each process in turn, for the ratio intervals.
        self.by_process: list[list[float]] = []
        # Each process's calibration (runs per sample).
        self.loops: list[int] = []
        self._start()

    def _start(self) -> None:
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=HERE,
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.hello = self._read()
        self.by_process.append([])
        self.loops.append(self.hello["loops"])

    def restart(self) -> None:
        """Go on in a fresh process (a new address layout), keeping the samples."""
        self.close()
        self._start()
        if self.hello["check"] != "ok":
            raise RuntimeError(f"{self.impl}: {self.hello['check']} after a restart")

    def _read(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            assert self.proc.stderr is not None
            err = self.proc.stderr.read().strip().splitlines()
            raise RuntimeError(err[-1] if err else f"worker exited {self.proc.wait()}")
        result: dict[str, Any] = json.loads(line)
        return result

    def run(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("run\n")
        self.proc.stdin.flush()
        seconds = self._read()["seconds"]
        self.times.append(seconds)
        self.by_process[-1].append(seconds)

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait()

    def memory(self) -> dict[str, Any]:
        out = subprocess.run(
            [*self.cmd, "--mem"], cwd=HERE, env=self.env, capture_output=True, text=True
        )
        if out.returncode:
            return {}
        result: dict[str, Any] = json.loads(out.stdout.splitlines()[-1])
        return result


_COMPILED_PY: Path | None = None

# Bootstrap resamples for a ratio's interval; a fixed seed so that the same
# samples always print the same interval.
_RESAMPLES = 2000


def ratio_interval(peer: Worker, ours: Worker) -> tuple[float, float] | None:
    """The 95% bootstrap interval of peer median / ours median, over processes.

    Every worker is restarted at the same rounds, so the k-th process of each
    implementation ran in the same stretch of time: a slow stretch of the
    machine shows in all of them (seen on W5 here), while a process's address
    layout is its own. A resample therefore draws process indices with
    replacement, the same ones for both, and pools their samples. ``None``
    with fewer than three processes.
    """
    groups = list(zip(peer.by_process, ours.by_process, strict=True))
    if len(groups) < 3:
        return None
    rnd = random.Random(0)
    ratios = []
    for _ in range(_RESAMPLES):
        drawn = rnd.choices(groups, k=len(groups))
        peer_median = statistics.median(s for p, _ in drawn for s in p)
        ours_median = statistics.median(s for _, o in drawn for s in o)
        ratios.append(peer_median / ours_median)
    ratios.sort()
    return ratios[int(0.025 * _RESAMPLES)], ratios[int(0.975 * _RESAMPLES) - 1]


def ratio_text(ratio: float, peer: Worker, ours: Worker) -> str:
    """``ratio`` as ``1.02x`` and, when there are enough processes, its interval."""
    interval = ratio_interval(peer, ours)
    if interval is None:
        return f"{ratio:.2f}x"
    return f"{ratio:.2f}x ({interval[0]:.2f}-{interval[1]:.2f})"


def run_workload(
    workload: str, impls: list[str], rounds: int, processes: int, quick: bool, mem: bool
) -> tuple[list[str], dict[str, Any]]:
    """Run one workload; return its markdown lines and a summary."""
    title, _ = WORKLOADS[workload]
    a3 = None
    workers: list[Worker] = []
    notes: list[str] = []
    for impl in impls:
        python = Path(sys.executable)
        if impl == "ours-mypyc":
            if _COMPILED_PY is None:
                notes.append(f"{impl}: skipped (no compiled build)")
                continue
            python = _COMPILED_PY
        if impl.startswith("aiohttp3"):
            a3 = a3 or aiohttp3_python()
            if a3 is None:
                notes.append(f"{impl}: skipped (no aiohttp 3.x environment)")
                continue
            python = a3
        try:
            worker = Worker(workload, impl, python, quick)
        except RuntimeError as exc:
            notes.append(f"{impl}: skipped ({exc})")
            continue
        if worker.hello["check"] != "ok":
            notes.append(f"{impl}: excluded, {worker.hello['check']}")
            worker.close()
            continue
        workers.append(worker)
    # pyperf's reason for spawning many workers: one process's address layout
    # can make it a little faster or slower for its whole life (up to ~4% on
    # W5 here; a fixed PYTHONHASHSEED did not change that), which no number
    # of samples from that one process averages out.
    per_process = math.ceil(rounds / processes)
    rnd = random.Random(workload)
    for r in range(rounds):
        if r and r % per_process == 0:
            for worker in workers:
                worker.restart()
        # A fresh order every round: a rotated one would always run each
        # worker right after the same other one, whose data it finds in the
        # shared caches.
        order = workers[:]
        rnd.shuffle(order)
        for worker in order:
            worker.run()
    for worker in workers:
        worker.close()

    medians = {w.impl: statistics.median(w.times) for w in workers}
    ours = medians.get("ours")
    ours_worker = next((w for w in workers if w.impl == "ours"), None)
    pure = [i for i in medians if i != "ours" and i not in COMPILED and i not in REFERENCE]
    fastest_pure = min(pure, key=medians.__getitem__) if pure else None
    lines = [
        f"### {workload}: {title}",
        "",
        "| implementation | version | kind | median ms | min ms | runs/sample "
        "| ours faster by (95% interval) |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for w in workers:
        kind = (
            "compiled"
            if w.impl in COMPILED
            else "reference: no parsing"
            if w.impl in REFERENCE
            else "pure Python"
        )
        ratio = (
            ""
            if ours is None or ours_worker is None or w is ours_worker
            else ratio_text(medians[w.impl] / ours, w, ours_worker)
        )
        low, high = min(w.loops), max(w.loops)
        loops = f"{low}" if low == high else f"{low}-{high}"
        lines.append(
            f"| {w.impl} | {w.hello['version']} | {kind} | {medians[w.impl] * 1e3:.1f} "
            f"| {min(w.times) * 1e3:.1f} | {loops} | {ratio} |"
        )
    summary: dict[str, Any] = {"workload": workload}
    if ours_worker is not None and ours is not None and fastest_pure is not None:
        summary["vs_fastest_pure"] = (fastest_pure, medians[fastest_pure] / ours)
        peer = next(w for w in workers if w.impl == fastest_pure)
        lines += ["", f"Ours vs the fastest pure-Python peer ({fastest_pure}): "
                  f"**{ratio_text(medians[fastest_pure] / ours, peer, ours_worker)}** "
                  "(target 1.20x)."]  # fmt: skip
    floor = medians.get("floor")
    if floor is not None and fastest_pure is not None:
        lines.append(
            f"The floor row reads and searches every piece and parses nothing: no "
            f"pure-Python parser can be faster, so {medians[fastest_pure] / floor:.2f}x is "
            f"the most any parser can be ahead of {fastest_pure} in this harness."
        )
    mypyc = medians.get("ours-mypyc")
    c_peers = [i for i in medians if i in COMPILED and i != "ours-mypyc"]
    if mypyc is not None and c_peers:
        best_c = min(c_peers, key=medians.__getitem__)
        summary["mypyc_vs_fastest_c"] = (best_c, medians[best_c] / mypyc)
        lines.append(
            f"Ours compiled with mypyc vs the fastest compiled peer ({best_c}): "
            f"**{medians[best_c] / mypyc:.2f}x** (target: within 2x, i.e. 0.50x or more); "
            f"mypyc over pure ours: {ours / mypyc:.2f}x."
            if ours
            else ""
        )
    if mem:
        lines += [
            "",
            "| implementation | peak RSS growth MiB | tracemalloc peak MiB | peak bytes per item |",
            "| --- | ---: | ---: | ---: |",
        ]
        for w in workers:
            m = w.memory()
            if not m:
                continue
            lines.append(
                f"| {w.impl} | {m['rss_growth_kib'] / 1024:.1f} | {m['traced_peak'] / 2**20:.1f} "
                f"| {m['traced_peak'] / m['items']:,.0f} |"
            )
    if notes:
        lines += ["", *(f"- {n}" for n in notes)]
    return lines, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="~10x smaller inputs, short W7")
    parser.add_argument("--only", default="", help="comma-separated workloads, e.g. W1,W5")
    parser.add_argument("--rounds", type=int, default=0, help="default 30 (quick: 3)")
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="fresh worker processes per implementation the rounds are spread over; "
        "default 10 (quick: 1)",
    )
    parser.add_argument("--no-w7", action="store_true", help="skip the wrk workload")
    parser.add_argument("--no-mem", action="store_true", help="skip memory measurements")
    parser.add_argument("--write", action="store_true", help="write RESULTS.md anyway")
    parser.add_argument(
        "--no-compiled", action="store_true", help="skip the mypyc build (ours-mypyc rows)"
    )
    args = parser.parse_args()
    only = [w for w in args.only.split(",") if w]
    rounds = args.rounds or (3 if args.quick else 30)
    processes = max(1, min(rounds, args.processes or (1 if args.quick else 10)))
    command = "python benchmarks/run_all.py" + "".join(f" {a}" for a in sys.argv[1:])
    out = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}  ",
        f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}  ",
        f"Command: `{command}` ({rounds} interleaved rounds per workload, each "
        f"implementation in its own process, restarted to spread the rounds over "
        f"{processes} processes; a round takes one sample of each, a sample "
        "being the mean of as many runs as take 0.1 s (runs/sample); ratios are the "
        "peer's median over ours, above 1 means ours is faster, with a 95% bootstrap "
        "interval over the processes)",
        "",
    ]
    summaries = []
    global _COMPILED_PY
    wanted = [w for w in WORKLOADS if not only or w in only]
    twins = compiled_twins()
    if not args.no_compiled and any(w in twins for w in wanted):
        _COMPILED_PY = compiled_python()
    for workload in wanted:
        print(f"=== {workload}", flush=True)
        impls = WORKLOADS[workload][1]
        if workload in twins:
            impls = [impls[0], "ours-mypyc", *impls[1:]]
        lines, summary = run_workload(
            workload,
            impls,
            rounds,
            processes,
            args.quick,
            mem=not args.no_mem and workload in MEMORY_WORKLOADS,
        )
        print("\n".join(lines), "", sep="\n", flush=True)
        out += [*lines, ""]
        summaries.append(summary)
    if not args.no_w7 and (not only or "W7" in only):
        from suite import w7

        print("=== W7", flush=True)
        lines = w7.run(quick=args.quick, aiohttp3=aiohttp3_python())
        print("\n".join(lines), "", sep="\n", flush=True)
        out += [*lines, ""]
    if (not only and not args.quick) or args.write:
        (HERE / "RESULTS.md").write_text("\n".join(out))
        print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()

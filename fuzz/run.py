"""Run the atheris fuzz targets under ``fuzz/targets`` for a given time each.

    python fuzz/run.py --target http_request --seconds 60
    python fuzz/run.py --all --seconds 10          # the CI smoke run
    python fuzz/run.py --all --seconds 600 --keep-going

Each target runs as its own process (libFuzzer) over the committed seed
corpus ``fuzz/corpus/<target>/`` (read only) and a working corpus under
``fuzz/.work/<target>/`` (new inputs land there; not committed). A crash
(an exception the target does not document) is written to
``fuzz/.work/crashes/<target>-crash-<sha1>`` and makes the run exit 1;
with ``--keep-going`` the target is restarted for the time left, so one run
can collect several crashes. The executions and time of each target are
printed at the end.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGETS = sorted(p.stem.removeprefix("fuzz_") for p in (HERE / "targets").glob("fuzz_*.py"))
_DONE_RE = re.compile(rb"Done (\d+) runs in (\d+) second")
_STAT_RE = re.compile(rb"#(\d+)\s")


def _run_once(target: str, seconds: int, work: Path, crashes: Path) -> tuple[int, int, bool]:
    """Run ``target`` once for up to ``seconds``; returns (execs, returncode, crashed)."""
    corpus = work / target
    corpus.mkdir(parents=True, exist_ok=True)
    seeds = HERE / "corpus" / target
    cmd = [
        sys.executable,
        str(HERE / "targets" / f"fuzz_{target}.py"),
        f"-max_total_time={seconds}",
        f"-artifact_prefix={crashes}/{target}-",
        "-max_len=4096",
        "-timeout=20",  # a single input taking this long counts as a hang
        "-rss_limit_mb=1024",
        "-print_final_stats=1",
        str(corpus),
    ]
    if seeds.is_dir():
        cmd.append(str(seeds))
    proc = subprocess.run(cmd, capture_output=True, check=False)
    err = proc.stderr
    done = _DONE_RE.search(err)
    if done:
        execs = int(done[1])
    else:
        stats = _STAT_RE.findall(err)
        execs = int(stats[-1]) if stats else 0
    crashed = proc.returncode != 0
    if crashed:
        tail = err.decode("utf-8", "replace").splitlines()[-40:]
        print(f"--- {target}: exit {proc.returncode}", *tail, sep="\n", file=sys.stderr)
    return execs, proc.returncode, crashed


def run_target(
    target: str, seconds: int, *, keep_going: bool, work: Path
) -> tuple[int, float, int]:
    """Run ``target`` for ``seconds`` in all; returns (executions, wall seconds, crashes)."""
    crashes_dir = work / "crashes"
    crashes_dir.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    total, crashes = 0, 0
    while True:
        left = seconds - int(time.monotonic() - start)
        if left <= 0:
            break
        execs, _, crashed = _run_once(target, left, work, crashes_dir)
        total += execs
        if not crashed:
            break
        crashes += 1
        if not keep_going:
            break
    return total, time.monotonic() - start, crashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--target", choices=TARGETS, action="append")
    which.add_argument("--all", action="store_true", help="every target, one after another")
    parser.add_argument("--seconds", type=int, default=10, help="time per target")
    parser.add_argument("--keep-going", action="store_true", help="restart after a crash")
    parser.add_argument("--work", type=Path, default=HERE / ".work", help="working corpus dir")
    args = parser.parse_args(argv)
    targets = TARGETS if args.all else args.target
    failed = []
    rows = []
    for target in targets:
        execs, wall, crashes = run_target(
            target, args.seconds, keep_going=args.keep_going, work=args.work
        )
        rows.append((target, execs, wall, crashes))
        print(f"{target}: {execs} executions in {wall:.0f} s, {crashes} crash(es)", flush=True)
        if crashes:
            failed.append(target)
    if failed:
        print(f"FAILED: {', '.join(failed)} (inputs in {args.work / 'crashes'})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

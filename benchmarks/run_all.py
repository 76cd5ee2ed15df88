"""Run every ``bench_*.py`` here, one process each, and write RESULTS.md.

Usage (from the repository root): ``hatch run bench:all`` — the ``bench``
environment has the workspace plus the peers in ``requirements.txt``.
Each benchmark prints its own table of times and ratios to ours; this
collects them with a description of the machine.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.python_implementation()} {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
        + (f", {cpu}" if cpu else "")
    )


def main() -> None:
    only = set(sys.argv[1:])
    sections = [
        f"# Benchmark results\n\nMachine: {machine()}  \nDate: {time.strftime('%Y-%m-%d')}\n"
    ]
    for script in sorted(HERE.glob("bench_*.py")):
        if only and script.stem not in only:
            continue
        print(f"=== {script.name}", flush=True)
        result = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, cwd=HERE.parent
        )
        print(result.stdout, result.stderr, sep="", flush=True)
        status = "" if result.returncode == 0 else f" (exited {result.returncode})"
        sections.append(
            f"## {script.stem}{status}\n\nCommand: `python benchmarks/{script.name}`\n\n"
            f"```\n{result.stdout.strip()}\n```\n"
        )
    if not only:
        (HERE / "RESULTS.md").write_text("\n".join(sections))


if __name__ == "__main__":
    main()

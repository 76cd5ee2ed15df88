"""Benchmark: aiohttp-wsgi vs gunicorn (sync worker) vs waitress, loaded with wrk.

Usage: python benchmarks/bench_wsgi.py [--duration S] [--connections N] [--threads N]

Each server runs one process on 127.0.0.1 serving the same two WSGI apps from
this file: ``hello`` (12 bytes) and ``big`` (a 64 KiB body). wrk (Debian
package ``wrk``) loads each target for ``--duration`` seconds with keep-alive
connections; requests/s and the 99th percentile latency are printed, with
ratios to ours (requests/s: theirs/ours, below 1 means we are ahead; p99:
theirs/ours, above 1 means we are ahead).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from suite.w7 import free_port, stop, wait_up, wrk  # noqa: E402

HELLO = b"Hello world!"
BIG = bytes(range(256)) * 256  # 64 KiB


def hello(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "12")])
    return [HELLO]


def big(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    start_response(
        "200 OK",
        [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(BIG)))],
    )
    return [BIG]


def server_command(name: str, app: str, port: int, threads: int) -> list[str]:
    py = sys.executable
    spec = f"bench_wsgi:{app}"
    if name == "aiohttp-wsgi":
        return [
            py, "-m", "aiohttp_wsgi", "--port", str(port), "--no-access-log",
            "--threads", str(threads), spec,
        ]  # fmt: skip
    if name == "gunicorn":
        return [
            py, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--worker-class", "sync", "--log-level", "warning", spec,
        ]  # fmt: skip
    if name == "waitress":
        return [
            py, "-m", "waitress", "--listen", f"127.0.0.1:{port}",
            "--threads", str(threads), spec,
        ]  # fmt: skip
    raise ValueError(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per target")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=4, help="app threads per server")
    parser.add_argument(
        "--servers", default="aiohttp-wsgi,gunicorn,waitress", help="comma-separated"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    env = {**os.environ, "PYTHONPATH": f"{HERE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    servers = args.servers.split(",")
    results: dict[tuple[str, str], tuple[float, float]] = {}
    print(
        f"wrk -t2 -c{args.connections} -d{args.duration:g}s, one server process each, "
        f"{args.threads} app threads (gunicorn sync: 1 worker, no threads)"
    )
    print(f"{'app':<6} {'server':<13} {'req/s':>10} {'p99 ms':>9} {'req/s ratio':>12} "
          f"{'p99 ratio':>10}  notes")  # fmt: skip
    for app in ("hello", "big"):
        for name in servers:
            port = free_port()
            proc = subprocess.Popen(
                server_command(name, app, port, args.threads),
                cwd=HERE,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_up(port, proc)
                rps, p99, notes = wrk(
                    port, "/", args.duration, connections=args.connections, threads=2
                )
            finally:
                stop(proc)
            results[(app, name)] = (rps, p99)
            ours_rps, ours_p99 = results.get((app, servers[0]), (rps, p99))
            print(
                f"{app:<6} {name:<13} {rps:>10.0f} {p99:>9.2f} {rps / ours_rps:>12.2f} "
                f"{p99 / ours_p99:>10.2f}  {notes}",
                flush=True,
            )


if __name__ == "__main__":
    main()

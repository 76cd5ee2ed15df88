"""W7: WSGI servers under ``wrk -t1 -c50`` (hello world and a 64 KiB body).

Every server runs as one process on 127.0.0.1, serving ``w7_app:app``
(``/`` 12 bytes, ``/big`` 64 KiB); both bodies are fetched and checked
before loading. All servers are started up front and loaded one at a time by
wrk (Debian package ``wrk``) in interleaved rounds, the order rotated each
round, so a burst of load from elsewhere on the machine does not land on one
server's only slot; the table gives the median requests/s and p99 latency
(from ``wrk --latency``) over the rounds. Servers with app threads get the
same thread count.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from . import w7_app

HERE = Path(__file__).resolve().parent
THREADS = 4
CONNECTIONS = 50


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _commands(port: int, aiohttp3: Path | None) -> dict[str, list[str]]:
    py = sys.executable
    spec = "w7_app:app"
    t = str(THREADS)
    cmds = {
        "ours (aiohttp-wsgi)": [
            py, "-m", "aiohttp_wsgi", "--port", str(port), "--no-access-log",
            "--threads", t, spec,
        ],
        "gunicorn sync": [
            py, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--worker-class", "sync", "--log-level", "warning", spec,
        ],
        "gunicorn gthread": [
            py, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
            "--worker-class", "gthread", "--threads", t, "--log-level", "warning", spec,
        ],
        "waitress": [py, "-m", "waitress", "--listen", f"127.0.0.1:{port}", "--threads", t, spec],
        "uvicorn + a2wsgi": [
            py, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "warning", "--no-access-log", "w7_app:asgi",
        ],
    }  # fmt: skip
    if aiohttp3 is not None:
        cmds["old aiohttp-wsgi on aiohttp 3.x"] = [
            str(aiohttp3.parent / "aiohttp-wsgi-serve"), "--host", "127.0.0.1",
            "--port", str(port), "--threads", t, "--quiet", spec,
        ]  # fmt: skip
    return cmds


def wait_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                resp.read()
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("server did not come up in 30 s")


def _check(port: int) -> None:
    for path, body in (("/", w7_app.HELLO), ("/big", w7_app.BIG)):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
            assert resp.read() == body, f"{path}: wrong body"


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(
    port: int, path: str, duration: float, *, connections: int = CONNECTIONS, threads: int = 1
) -> tuple[float, float, str]:
    """(requests/s, p99 latency in ms, socket errors and non-2xx notes) of one wrk run."""
    cmd = [
        "wrk", "--latency", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s",
        f"http://127.0.0.1:{port}{path}",
    ]  # fmt: skip
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    rps = float(m.group(1)) if m else 0.0
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99 = float(m.group(1)) * _UNITS[m.group(2)] if m else float("nan")
    notes = "; ".join(x.group(0).strip() for x in re.finditer(r"(Socket errors:.*|Non-2xx.*)", out))
    return rps, p99, notes


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run(*, quick: bool, aiohttp3: Path | None) -> list[str]:
    duration, rounds = (2.0, 2) if quick else (5.0, 3)  # wrk takes whole seconds
    title = (
        f"### W7: WSGI servers, `wrk --latency -t1 -c{CONNECTIONS} -d{duration:g}s`, "
        f"{rounds} interleaved rounds (medians), one process each, "
        f"{THREADS} app threads where the server has threads"
    )
    if shutil.which("wrk") is None:
        return [title, "", "skipped: wrk is not installed (Debian: apt-get install wrk)"]
    env = {**os.environ, "PYTHONPATH": f"{HERE}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    skipped: list[str] = []
    running: dict[str, tuple[int, subprocess.Popen[bytes]]] = {}
    samples: dict[str, dict[str, list[tuple[float, float, str]]]] = {}
    try:
        for name in _commands(0, aiohttp3):
            port = free_port()
            proc = subprocess.Popen(
                _commands(port, aiohttp3)[name],
                cwd=HERE,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                wait_up(port, proc)
                _check(port)
                wrk(port, "/", 1.0)  # warm-up
            except (RuntimeError, AssertionError, OSError, subprocess.CalledProcessError) as exc:
                skipped.append(f"{name}: skipped ({exc})")
                stop(proc)
                continue
            running[name] = (port, proc)
            samples[name] = {"/": [], "/big": []}
        names = list(running)
        for r in range(rounds):
            shift = r % len(names) if names else 0
            for name in names[shift:] + names[:shift]:
                port, proc = running[name]
                try:
                    for path in ("/", "/big"):
                        samples[name][path].append(wrk(port, path, duration))
                except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
                    skipped.append(f"{name}: round {r + 1} failed ({exc})")
            print(f"  W7 round {r + 1}/{rounds} done", flush=True)
    finally:
        for _port, proc in running.values():
            stop(proc)
    results: dict[str, dict[str, tuple[float, float, str]]] = {}
    for name, by_path in samples.items():
        if all(by_path.values()):
            results[name] = {
                path: (
                    statistics.median(x[0] for x in runs),
                    statistics.median(x[1] for x in runs),
                    "; ".join(sorted({x[2] for x in runs if x[2]})),
                )
                for path, runs in by_path.items()
            }
    lines = [
        title,
        "",
        "| server | hello req/s | hello p99 ms | 64 KiB req/s | 64 KiB p99 ms | notes |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, result in results.items():
        (h, hp, hn), (b, bp, bn) = result["/"], result["/big"]
        notes = "; ".join(filter(None, (hn, bn)))
        lines.append(f"| {name} | {h:,.0f} | {hp:.1f} | {b:,.0f} | {bp:.1f} | {notes} |")
    ours = results.get("ours (aiohttp-wsgi)")
    if ours is not None and len(results) > 1:
        for i, label in ((0, "hello"), (1, "64 KiB")):
            path = ("/", "/big")[i]
            best = max((n for n in results if n != "ours (aiohttp-wsgi)"),
                       key=lambda n: results[n][path][0])  # fmt: skip
            lines.append(
                f"\n{label}: ours {ours[path][0]:,.0f} req/s vs best peer {best} "
                f"{results[best][path][0]:,.0f} req/s (ours/peer "
                f"{ours[path][0] / results[best][path][0]:.2f}x); p99 ours "
                f"{ours[path][1]:.1f} ms vs best peer p99 "
                f"{min(results[n][path][1] for n in results if n != 'ours (aiohttp-wsgi)'):.1f} ms."
            )
    lines += [f"- {s}" for s in skipped]
    return lines

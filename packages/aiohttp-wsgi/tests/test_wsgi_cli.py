"""The command line: demo app, module:app, access log, workers, graceful shutdown."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
WAIT = 20


@contextmanager
def cli(*args: str) -> Iterator[tuple[subprocess.Popen[str], int]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "aiohttp_wsgi", "--port", "0", *args],
        cwd=HERE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stderr is not None
        port = 0
        for line in proc.stderr:
            m = re.search(r"Serving on http://127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        assert port, "server did not report its address"
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(WAIT)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def get(port: int, path: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=WAIT) as resp:
        return resp.status, resp.read()


def test_demo_app_and_access_log() -> None:
    with cli() as (proc, port):
        status, body = get(port, "/")
        assert status == 200 and b"aiohttp-wsgi is running" in body
        assert get(port, "/stream")[1].startswith(b"line 0\n")
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=WAIT)
        assert proc.returncode == 0
    assert re.search(r'127\.0\.0\.1 - - \[.+\] "GET / HTTP/1\.1" 200 \d+', out)


def test_module_app_graceful_shutdown() -> None:
    with cli("wsgi_cli_app:application") as (proc, port):
        assert get(port, "/hello") == (200, b"cli app: /hello")
        result: list[tuple[int, bytes]] = []
        t = threading.Thread(target=lambda: result.append(get(port, "/slow?1")))
        t.start()
        assert proc.stderr is not None
        for line in proc.stderr:  # the app says when the request is in flight
            if "slow request started" in line:
                break
        proc.send_signal(signal.SIGINT)
        t.join(WAIT)
        proc.wait(WAIT)
        assert result == [(200, b"cli app: /slow")]
        assert proc.returncode == 0


@pytest.mark.skipif(not hasattr(os, "fork"), reason="workers need fork()")
def test_workers() -> None:
    with cli("--workers", "2", "--no-access-log", "wsgi_cli_app") as (proc, port):
        for _ in range(4):
            assert get(port, "/w") == (200, b"cli app: /w")
        proc.send_signal(signal.SIGTERM)
        proc.wait(WAIT)
        assert proc.returncode == 0


def test_bad_app_spec() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "aiohttp_wsgi", "wsgi_cli_app:nope"],
        cwd=HERE,
        capture_output=True,
        text=True,
        timeout=WAIT,
    )
    assert out.returncode != 0
    assert "no attribute 'nope'" in out.stderr


def test_served_apps_pass_the_validator() -> None:
    """The demo app and the CLI test app also run under wsgiref.validate."""
    from wsgi_cli_app import application  # noqa: PLC0415 - tests dir is on sys.path via conftest
    from wsgi_testutil import ServerThread, request  # noqa: PLC0415

    from aiohttp_wsgi._demo import app as demo  # noqa: PLC0415

    with ServerThread(demo) as srv:
        assert request(srv, "GET", "/")[0] == 200
        assert request(srv, "GET", "/stream")[2].startswith(b"line 0\n")
        status, headers, body = request(
            srv, "POST", "/echo", body=b"ping", headers={"Content-Type": "text/plain"}
        )
        assert (status, headers["Content-Type"], body) == (200, "text/plain", b"ping")
        assert request(srv, "GET", "/missing")[0] == 404
    assert srv.errors == []
    with ServerThread(application) as srv:
        assert request(srv, "GET", "/slow?0")[2] == b"cli app: /slow"
    assert srv.errors == []

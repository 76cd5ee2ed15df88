"""``python -m aiohttp``: the showcase server, built only from these packages.

``/ws`` is a WebSocket echo, ``/upload`` streams multipart uploads to a
temporary folder and answers with each file's name, size and SHA-256, and
every other path goes to a WSGI app: the built-in demo page by default, or
the ``module:app`` given on the command line.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from aiohttp_wsgi import load_app, serve_async

from ._demo_app import demo_app
from ._showcase import ShowcaseProtocol, default_upload_dir


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m aiohttp", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to bind (8080; 0: any)")
    parser.add_argument(
        "--upload-dir", type=Path, default=None, help="where uploads go (a new temporary folder)"
    )
    parser.add_argument(
        "app", nargs="?", default=None, help="module:app, a WSGI app for the other paths"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    app = load_app(args.app) if args.app else demo_app
    upload_dir = args.upload_dir or default_upload_dir()
    upload_dir.mkdir(parents=True, exist_ok=True)

    def ready(addrs: list[tuple[str, int]]) -> None:
        host, port = addrs[0]
        print(f"Showcase on http://{host}:{port}/ (uploads go to {upload_dir})", flush=True)

    protocol = functools.partial(ShowcaseProtocol, upload_dir=upload_dir)
    try:
        asyncio.run(
            serve_async(app, host=args.host, port=args.port, on_ready=ready, protocol=protocol)
        )
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

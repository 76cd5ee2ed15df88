"""The meta-package re-exports every piece under the 2016 names and paths."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import multidict
import pytest

import aiohttp

REPO = Path(__file__).resolve().parents[3]
PIECES = (
    "aiohttp_errors",
    "aiohttp_streams",
    "aiohttp_parsers",
    "aiohttp_websocket",
    "aiohttp_multipart",
    "aiohttp_wsgi",
)

# The __all__ lists of aiohttp 1.0 (2016): the contract old code relies on.
API_2016: dict[str, tuple[str, ...]] = {
    "errors": (
        "DisconnectedError", "ClientDisconnectedError", "ServerDisconnectedError",
        "HttpProcessingError", "BadHttpMessage", "HttpMethodNotAllowed", "HttpBadRequest",
        "HttpProxyError", "BadStatusLine", "LineTooLong", "InvalidHeader", "ClientError",
        "ClientHttpProcessingError", "ClientConnectionError", "ClientOSError",
        "ClientTimeoutError", "ProxyConnectionError", "ClientRequestError",
        "ClientResponseError", "FingerprintMismatch", "WSServerHandshakeError",
    ),
    "helpers": (
        "BasicAuth", "create_future", "FormData", "parse_mimetype", "Timeout", "CookieJar",
        "ensure_future",
    ),
    "multipart": (
        "MultipartReader", "MultipartWriter", "BodyPartReader", "BodyPartWriter",
        "BadContentDispositionHeader", "BadContentDispositionParam",
        "parse_content_disposition", "content_disposition_filename",
    ),
    "parsers": (
        "EofStream", "StreamParser", "StreamProtocol", "ParserBuffer", "StreamWriter",
        "LinesParser", "ChunksParser",
    ),
    "protocol": (
        "HttpMessage", "Request", "Response", "HttpVersion", "HttpVersion10", "HttpVersion11",
        "RawRequestMessage", "RawResponseMessage", "HttpPrefixParser", "HttpRequestParser",
        "HttpResponseParser", "HttpPayloadParser",
    ),
    "streams": (
        "EofStream", "StreamReader", "DataQueue", "ChunksQueue", "FlowControlStreamReader",
        "FlowControlDataQueue", "FlowControlChunksQueue",
    ),
    "wsgi": ("WSGIServerHttpProtocol",),
    "server": ("ServerHttpProtocol",),
    "websocket": (
        "WebSocketParser", "WebSocketWriter", "do_handshake", "WSMessage", "WebSocketError",
        "WSMsgType", "WSCloseCode", "MsgType",
    ),
    "_ws_impl": (
        "WebSocketParser", "WebSocketWriter", "do_handshake", "WSMessage", "WebSocketError",
        "WSMsgType", "WSCloseCode",
    ),
    "signals": ("Signal", "DebugSignal", "PreSignal", "PostSignal"),
    "log": (
        "access_logger", "client_logger", "internal_logger", "server_logger", "web_logger",
        "ws_logger",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("module", "names"), API_2016.items())
def test_2016_names_resolve_from_their_module_path(module: str, names: tuple[str, ...]) -> None:
    submodule = importlib.import_module(f"aiohttp.{module}")
    for name in names:
        assert hasattr(submodule, name), f"aiohttp.{module}.{name} is missing"
        if not name.endswith("_logger") and module != "signals":
            assert getattr(aiohttp, name) is getattr(submodule, name)


@pytest.mark.parametrize("piece", PIECES)
def test_every_public_name_of_every_piece_is_at_top_level(piece: str) -> None:
    module = importlib.import_module(piece)
    for name in module.__all__:
        if name == "__version__":
            continue
        assert name in aiohttp.__all__, f"{piece}.{name} is not re-exported"
        ours, theirs = getattr(aiohttp, name), getattr(module, name)
        if isinstance(theirs, ModuleType):  # hdrs: a module of ours re-exporting theirs
            assert isinstance(ours, ModuleType)
            for attr in theirs.__all__:
                assert getattr(ours, attr) is getattr(theirs, attr)
        else:
            assert ours is theirs


def test_submodules_are_the_pieces_objects() -> None:
    import aiohttp_multipart
    import aiohttp_parsers
    import aiohttp_websocket

    assert aiohttp.hdrs.__all__ == aiohttp_parsers.hdrs.__all__
    assert aiohttp.websocket.WSMsgType is aiohttp_websocket.WSMsgType
    assert aiohttp._ws_impl.WSCloseCode is aiohttp_websocket.WSCloseCode
    assert aiohttp.multipart.MultipartReader is aiohttp_multipart.MultipartReader
    assert aiohttp.MsgType is aiohttp.WSMsgType
    assert aiohttp.upstr is multidict.istr
    assert aiohttp.CIMultiDict is multidict.CIMultiDict


def test_all_is_exact_for_star_import() -> None:
    namespace: dict[str, object] = {}
    exec("from aiohttp import *", namespace)
    namespace.pop("__builtins__")
    assert set(namespace) == set(aiohttp.__all__)
    assert len(aiohttp.__all__) == len(set(aiohttp.__all__))
    assert isinstance(namespace["hdrs"], ModuleType)


def test_version() -> None:
    assert aiohttp.__version__ == importlib.import_module("aiohttp.__about__").__version__


def test_generated_modules_are_up_to_date() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_meta.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_importing_every_module_in_a_fresh_interpreter() -> None:
    # No circular imports: each module imports cleanly on its own.
    modules = [f"aiohttp.{m}" for m in API_2016] + ["aiohttp.hdrs", "aiohttp", *PIECES]
    for name in modules:
        result = subprocess.run(
            [sys.executable, "-W", "error", "-c", f"import {name}"], capture_output=True, text=True
        )
        assert result.returncode == 0, f"{name}: {result.stderr}"

"""The 2016 ``aiohttp.errors`` contract: names, bases, attributes, messages."""

from __future__ import annotations

import asyncio
import pickle

import pytest

import aiohttp_errors
from aiohttp_errors import (
    BadHttpMessage,
    BadStatusLine,
    ClientConnectionError,
    ClientDisconnectedError,
    ClientError,
    ClientHttpProcessingError,
    ClientOSError,
    ClientRequestError,
    ClientResponseError,
    ClientTimeoutError,
    ContentEncodingError,
    DisconnectedError,
    FingerprintMismatch,
    HttpBadRequest,
    HttpMethodNotAllowed,
    HttpProcessingError,
    HttpProxyError,
    InvalidHeader,
    InvalidURL,
    LineLimitExceededParserError,
    LineTooLong,
    ParserError,
    ProxyConnectionError,
    ServerDisconnectedError,
    TransferEncodingError,
    WSClientDisconnectedError,
    WSServerHandshakeError,
)

# (class, its direct bases) exactly as aiohttp 1.0 declared them, plus the
# two parser errors this project adds to the same tree.
BASES: list[tuple[type[BaseException], tuple[type[BaseException], ...]]] = [
    (DisconnectedError, (Exception,)),
    (ClientDisconnectedError, (DisconnectedError,)),
    (ServerDisconnectedError, (DisconnectedError,)),
    (WSClientDisconnectedError, (ClientDisconnectedError,)),
    (ClientError, (Exception,)),
    (ClientHttpProcessingError, (ClientError,)),
    (ClientRequestError, (ClientHttpProcessingError,)),
    (ClientResponseError, (ClientHttpProcessingError,)),
    (ClientConnectionError, (ClientError,)),
    (ClientOSError, (ClientConnectionError, OSError)),
    (ClientTimeoutError, (ClientConnectionError, asyncio.TimeoutError)),
    (ProxyConnectionError, (ClientConnectionError,)),
    (FingerprintMismatch, (ClientConnectionError,)),
    (HttpProcessingError, (Exception,)),
    (WSServerHandshakeError, (HttpProcessingError,)),
    (HttpProxyError, (HttpProcessingError,)),
    (HttpMethodNotAllowed, (HttpProcessingError,)),
    (BadHttpMessage, (HttpProcessingError,)),
    (HttpBadRequest, (BadHttpMessage,)),
    (ContentEncodingError, (BadHttpMessage,)),
    (TransferEncodingError, (BadHttpMessage,)),
    (LineTooLong, (BadHttpMessage,)),
    (InvalidHeader, (BadHttpMessage,)),
    (BadStatusLine, (BadHttpMessage,)),
    (ParserError, (Exception,)),
    (LineLimitExceededParserError, (ParserError, HttpBadRequest)),
    (InvalidURL, (ValueError,)),
]


@pytest.mark.parametrize(("cls", "bases"), BASES, ids=[c.__name__ for c, _ in BASES])
def test_documented_bases(cls: type[BaseException], bases: tuple[type[BaseException], ...]) -> None:
    assert cls.__bases__ == bases


def test_all_lists_every_exception_and_nothing_else() -> None:
    exported = {
        name for name in aiohttp_errors.__all__ if name not in ("__version__", "HeadersType")
    }
    assert exported == {cls.__name__ for cls, _ in BASES}
    for name in aiohttp_errors.__all__:
        assert hasattr(aiohttp_errors, name)


def test_client_errors_are_caught_as_stdlib_errors() -> None:
    # Code written for 2016 catches these with the stdlib classes.
    with pytest.raises(OSError):
        raise ClientOSError(111, "Connection refused")
    with pytest.raises(asyncio.TimeoutError):
        raise ClientTimeoutError("too slow")
    err = ClientOSError(111, "Connection refused")
    assert err.errno == 111
    assert err.strerror == "Connection refused"


def test_http_processing_error_defaults_and_overrides() -> None:
    err = HttpProcessingError()
    assert (err.code, err.message, err.headers) == (0, "", None)
    assert str(err) == "0, message=''"

    headers = {"Retry-After": "3"}
    err = HttpProcessingError(code=503, message="busy", headers=headers)
    assert (err.code, err.message, err.headers) == (503, "busy", headers)
    assert str(err) == "503, message='busy'"
    # The class default stays untouched by instances.
    assert HttpProcessingError.code == 0


def test_http_processing_error_arguments_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        HttpProcessingError(400)  # type: ignore[call-arg]  # checks the runtime refusal


def test_status_code_defaults() -> None:
    assert HttpMethodNotAllowed().code == 405
    assert HttpMethodNotAllowed().message == ""
    assert HttpMethodNotAllowed.message == "Method Not Allowed"
    assert BadHttpMessage("x").code == 400
    assert HttpBadRequest("x").code == 400
    assert WSServerHandshakeError(code=400, message="no upgrade").code == 400
    assert HttpProxyError(code=407).code == 407


def test_bad_http_message_keeps_message_and_headers() -> None:
    err = BadHttpMessage("Missing Host", headers=[("Connection", "close")])
    assert err.code == 400
    assert err.message == "Missing Host"
    assert err.headers == [("Connection", "close")]
    assert isinstance(err, HttpProcessingError)


def test_line_too_long_says_what_and_how_much() -> None:
    err = LineTooLong("request line", 8190)
    assert err.code == 400
    assert err.message == "got more than 8190 bytes when reading request line"
    assert err.limit == 8190
    assert err.line == "request line"
    assert LineTooLong("header").message == "got more than Unknown bytes when reading header"


def test_invalid_header_decodes_and_quotes_bounded() -> None:
    err = InvalidHeader(b"X-Bad\x00: v", reason="NUL in name")
    assert err.hdr == "X-Bad\x00: v"
    assert "NUL in name" in err.message
    assert "X-Bad" in err.message
    # Hostile input is never echoed in full.
    huge = InvalidHeader(b"A" * 100_000)
    assert len(huge.message) < 200
    assert huge.message.endswith("...")


def test_invalid_header_keeps_undecodable_bytes() -> None:
    err = InvalidHeader(b"X-\xff")
    assert err.hdr.encode("utf-8", "surrogateescape") == b"X-\xff"


def test_bad_status_line() -> None:
    err = BadStatusLine(b"GARBAGE")
    assert err.line == "GARBAGE"
    assert err.code == 400
    assert "GARBAGE" in err.message
    assert err.args == ("GARBAGE",)
    empty = BadStatusLine()
    assert empty.line == ""
    assert "''" in empty.message
    why = BadStatusLine("GET / HTTP/9", reason="unsupported HTTP version")
    assert why.message.startswith("Bad status line unsupported HTTP version")


def test_line_limit_exceeded_parser_error() -> None:
    err = LineLimitExceededParserError("Line is too long", 8190)
    assert err.limit == 8190
    assert err.code == 400
    assert err.message == "Line is too long"
    assert isinstance(err, ParserError)
    assert isinstance(err, HttpBadRequest)


def test_fingerprint_mismatch_attributes() -> None:
    err = FingerprintMismatch(b"\x01", b"\x02", "example.com", 443)
    assert (err.expected, err.got, err.host, err.port) == (b"\x01", b"\x02", "example.com", 443)
    assert "example.com" in repr(err)


def test_invalid_url() -> None:
    err = InvalidURL("http://[::1")
    assert err.url == "http://[::1"
    assert isinstance(err, ValueError)
    assert repr(err) == "<InvalidURL http://[::1>"


@pytest.mark.parametrize(
    "err",
    [
        ClientOSError(1, "x"),
        DisconnectedError("gone"),
        InvalidURL("u"),
    ],
)
def test_simple_errors_pickle(err: Exception) -> None:
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is type(err)
    assert again.args == err.args

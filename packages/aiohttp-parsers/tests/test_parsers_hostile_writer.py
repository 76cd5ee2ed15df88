"""Writer paths a careless or hostile caller reaches (issue 9): framing and
connection headers given by hand, odd orders of calls, HTTP/0.9."""

from __future__ import annotations

import pytest
from parsers_sink import Sink, finish

from aiohttp_parsers import HttpVersion, Request, Response, hdrs, parse_mimetype


def chunked(msg: Response) -> bool:
    return msg.chunked


def test_transfer_encoding_given_by_hand() -> None:
    sink = Sink()
    resp = Response(sink, 200)
    resp.add_header("Transfer-Encoding", "gzip")  # not chunked: ignored, we frame
    assert not chunked(resp)
    resp.add_header("Transfer-Encoding", "Chunked")
    assert chunked(resp)
    resp.send_headers()
    resp.write(b"abc")
    finish(resp.write_eof())
    assert bytes(sink.data).endswith(b"\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
    assert bytes(sink.data).count(b"Transfer-Encoding") == 1


@pytest.mark.parametrize(
    ("value", "keep"), [("close", False), ("keep-alive", True), ("Upgrade", True)]
)
def test_connection_given_by_hand(value: str, keep: bool) -> None:
    resp = Response(Sink(), 200)
    resp.add_header("Connection", value)
    assert resp.keep_alive() is keep
    assert hdrs.CONNECTION not in resp.headers  # written by send_headers


def test_upgrade_header_without_websocket() -> None:
    resp = Response(Sink(), 101)
    resp.add_header("Upgrade", "h2c")
    assert resp.headers[hdrs.UPGRADE] == "h2c" and not resp.websocket


def test_write_eof_twice_is_harmless() -> None:
    sink = Sink()
    resp = Response(sink, 204)
    assert resp.status == 204
    resp.send_headers()
    finish(resp.write_eof())
    finish(resp.write_eof())
    assert bytes(sink.data).startswith(b"HTTP/1.1 204 No Content\r\n")


def test_unknown_compression_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unsupported compression"):
        Response(Sink(), 200).add_compression_filter("br")


def test_http_0_9_request_closes_and_requests_have_a_body() -> None:
    req = Request(Sink(), "GET", "/", http_version=HttpVersion(0, 9))
    assert req.keep_alive() is False
    resp = Response(Sink(), 200)
    resp.add_header("Date", "Thu, 01 Jan 2026 00:00:00 GMT")
    resp.send_headers()
    assert resp.headers[hdrs.DATE] == "Thu, 01 Jan 2026 00:00:00 GMT"


def test_parse_mimetype_skips_empty_parameters() -> None:
    assert parse_mimetype("text/plain;;charset=utf-8;") == (
        "text",
        "plain",
        "",
        {"charset": "utf-8"},
    )

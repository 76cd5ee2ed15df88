"""``aiohttp.helpers.BasicAuth`` (RFC 7617)."""

from __future__ import annotations

import base64

import pytest

from aiohttp.helpers import BasicAuth


def test_encode_decode_round_trip() -> None:
    auth = BasicAuth("Aladdin", "open sesame")
    assert auth.encode() == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    assert BasicAuth.decode(auth.encode()) == auth
    login, password, encoding = auth
    assert (login, password, encoding) == ("Aladdin", "open sesame", "latin1")


def test_password_may_contain_colons_and_be_empty() -> None:
    assert BasicAuth.decode("Basic " + base64.b64encode(b"u:p:w").decode()).password == "p:w"
    assert BasicAuth.decode("basic " + base64.b64encode(b"u:").decode()) == BasicAuth("u")


def test_encoding_is_used_both_ways() -> None:
    auth = BasicAuth("jürgen", "pässword", encoding="utf-8")
    header = auth.encode()
    assert base64.b64decode(header.split()[1]) == "jürgen:pässword".encode()
    assert BasicAuth.decode(header, encoding="utf-8") == auth


@pytest.mark.parametrize(
    ("header", "why"),
    [
        ("Basic", "Could not parse"),
        ("Bearer abc", "Unknown authorization method"),
        ("Basic !!!notbase64", "Invalid base64"),
        ("Basic " + base64.b64encode(b"nocolon").decode(), 'no ":"'),
        ("Basic " + base64.b64encode(b"\xff:x").decode(), None),
        ("Basic ünïcode", "Invalid base64"),
    ],
)
def test_bad_headers_raise_value_error_saying_why(header: str, why: str | None) -> None:
    if why is None:  # \xff is valid latin1, so this one decodes
        assert BasicAuth.decode(header).login == "\xff"
        with pytest.raises(ValueError, match="not valid utf-8"):
            BasicAuth.decode(header, encoding="utf-8")
        return
    with pytest.raises(ValueError, match=why):
        BasicAuth.decode(header)


def test_login_rules() -> None:
    with pytest.raises(ValueError):
        BasicAuth("a:b")
    with pytest.raises(ValueError):
        BasicAuth(None)  # type: ignore[arg-type]  # the runtime refusal is what we test
    with pytest.raises(ValueError):
        BasicAuth("a", None)  # type: ignore[arg-type]  # likewise

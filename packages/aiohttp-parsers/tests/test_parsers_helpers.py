"""hdrs constants, parse_mimetype and reify."""

from __future__ import annotations

import pytest
from multidict import CIMultiDict, istr

import aiohttp_parsers
from aiohttp_parsers import hdrs, parse_mimetype, reify


def test_every_header_constant_is_istr() -> None:
    names = [n for n in hdrs.__all__ if not n.startswith("METH_")]
    assert len(names) >= 70
    for name in names:
        value = getattr(hdrs, name)
        assert isinstance(value, istr), name
        # The 2016 spelling was upper case: still the same key.
        assert value.upper() == name.replace("_", "-") or name in {"WEBSOCKET", "URI"}


def test_header_constants_key_multidicts() -> None:
    headers = CIMultiDict([("content-type", "text/plain")])
    assert headers[hdrs.CONTENT_TYPE] == "text/plain"
    assert str(hdrs.CONTENT_LENGTH) == "Content-Length"


def test_methods() -> None:
    assert hdrs.METH_GET == "GET"
    assert hdrs.METH_ANY == "*"
    assert hdrs.METH_ALL == {
        "CONNECT",
        "HEAD",
        "GET",
        "DELETE",
        "OPTIONS",
        "PATCH",
        "POST",
        "PUT",
        "TRACE",
    }


def test_all_is_exact() -> None:
    for name in aiohttp_parsers.__all__:
        assert hasattr(aiohttp_parsers, name), name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", ("", "", "", {})),
        (None, ("", "", "", {})),
        ("*", ("*", "*", "", {})),
        ("application/json", ("application", "json", "", {})),
        ("application/json;  charset=utf-8", ("application", "json", "", {"charset": "utf-8"})),
        (
            """application/json; charset="utf-8\"""",
            ("application", "json", "", {"charset": "utf-8"}),
        ),
        ("ApPlIcAtIoN/JSON;ChaRseT=UTF-8", ("application", "json", "", {"charset": "UTF-8"})),
        ("application/rss+xml", ("application", "rss", "xml", {})),
        ("text/plain;base64", ("text", "plain", "", {"base64": ""})),
    ],
)
def test_parse_mimetype(value: str | None, expected: tuple[str, str, str, dict[str, str]]) -> None:
    assert parse_mimetype(value) == expected


class Thing:
    calls = 0

    @reify
    def prop(self) -> int:
        """The doc."""
        Thing.calls += 1
        return 42


def test_reify() -> None:
    thing = Thing()
    assert thing.prop == 42
    assert thing.prop == 42
    assert Thing.calls == 1
    assert isinstance(Thing.prop, reify)
    assert Thing.prop.__doc__ == "The doc."
    with pytest.raises(AttributeError):
        thing.prop = 1

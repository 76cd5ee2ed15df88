# Strategy: the values the head parsers produce (2016 ``aiohttp.protocol``
# names), in a module of their own so the compiled head parser (``_head``)
# and the pure generator adapters (``_http_parser``, ``_payload``) share
# them without importing each other.  Plain Python, never compiled: these
# are public classes users may subclass or pickle.
from __future__ import annotations

from typing import Final, NamedTuple

from multidict import CIMultiDictProxy
from yarl import URL

from aiohttp_errors import InvalidURL

from . import hdrs

__all__ = (
    "RawHeaders",
    "HttpVersion",
    "HttpVersion10",
    "HttpVersion11",
    "RawRequestMessage",
    "RawResponseMessage",
)

#: The header lines as received: ``(name, value)`` bytes pairs.
RawHeaders = tuple[tuple[bytes, bytes], ...]


class HttpVersion(NamedTuple):
    """An HTTP version, ``HttpVersion(1, 1)`` for HTTP/1.1; compares as a tuple."""

    major: int
    minor: int


HttpVersion10: Final = HttpVersion(1, 0)
HttpVersion11: Final = HttpVersion(1, 1)


class RawRequestMessage(NamedTuple):
    """A parsed request head (what ``HttpRequestParser`` outputs).

    .. attribute:: method       the method token, as sent (case-sensitive)
    .. attribute:: path         the request-target, decoded as UTF-8
    .. attribute:: version      :class:`HttpVersion`
    .. attribute:: headers      ``CIMultiDictProxy[str]``
    .. attribute:: raw_headers  ``(name, value)`` bytes pairs as received
    .. attribute:: should_close whether the connection closes after it
    .. attribute:: compression  ``"gzip"``, ``"deflate"`` or ``None``
    """

    method: str
    path: str
    version: HttpVersion
    headers: CIMultiDictProxy[str]
    raw_headers: RawHeaders
    should_close: bool
    compression: str | None

    @property
    def url(self) -> URL:
        """The request-target as a ``yarl.URL`` (relative for origin-form).

        Raises :class:`~aiohttp_errors.InvalidURL` if yarl cannot parse it.
        """
        target = self.path
        try:
            if target.startswith("/"):
                path, _, query = target.partition("?")
                return URL.build(path=path, query_string=query, encoded=True)
            if self.method == hdrs.METH_CONNECT:
                return URL.build(authority=target, encoded=True)
            if target == "*":
                return URL.build(path=target, encoded=True)
            return URL(target, encoded=True)
        except ValueError:
            raise InvalidURL(target) from None


class RawResponseMessage(NamedTuple):
    """A parsed response head (what ``HttpResponseParser`` outputs).

    .. attribute:: version      :class:`HttpVersion`
    .. attribute:: code         the status code
    .. attribute:: reason       the reason phrase (may be empty)
    .. attribute:: headers      ``CIMultiDictProxy[str]``
    .. attribute:: raw_headers  ``(name, value)`` bytes pairs as received
    .. attribute:: should_close whether the connection closes after it
    .. attribute:: compression  ``"gzip"``, ``"deflate"`` or ``None``
    """

    version: HttpVersion
    code: int
    reason: str
    headers: CIMultiDictProxy[str]
    raw_headers: RawHeaders
    should_close: bool
    compression: str | None

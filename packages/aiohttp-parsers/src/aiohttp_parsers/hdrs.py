"""HTTP header-name and method constants of aiohttp's 2016 ``aiohttp.hdrs`` module.

Every header name is a :class:`multidict.istr`, so it compares equal to any
spelling of the name and keys a ``CIMultiDict`` case-insensitively.  The
value is the canonical (RFC 9110) spelling, which is what ``Response`` writes
on the wire; 2016 spelled the values in upper case (see README).
"""

from __future__ import annotations

from typing import Final

from multidict import istr

__all__ = (
    "METH_ANY",
    "METH_CONNECT",
    "METH_HEAD",
    "METH_GET",
    "METH_DELETE",
    "METH_OPTIONS",
    "METH_PATCH",
    "METH_POST",
    "METH_PUT",
    "METH_TRACE",
    "METH_ALL",
    "ACCEPT",
    "ACCEPT_CHARSET",
    "ACCEPT_ENCODING",
    "ACCEPT_LANGUAGE",
    "ACCEPT_RANGES",
    "ACCESS_CONTROL_MAX_AGE",
    "ACCESS_CONTROL_ALLOW_CREDENTIALS",
    "ACCESS_CONTROL_ALLOW_HEADERS",
    "ACCESS_CONTROL_ALLOW_METHODS",
    "ACCESS_CONTROL_ALLOW_ORIGIN",
    "ACCESS_CONTROL_EXPOSE_HEADERS",
    "ACCESS_CONTROL_REQUEST_HEADERS",
    "ACCESS_CONTROL_REQUEST_METHOD",
    "AGE",
    "ALLOW",
    "AUTHORIZATION",
    "CACHE_CONTROL",
    "CONNECTION",
    "CONTENT_DISPOSITION",
    "CONTENT_ENCODING",
    "CONTENT_LANGUAGE",
    "CONTENT_LENGTH",
    "CONTENT_LOCATION",
    "CONTENT_MD5",
    "CONTENT_RANGE",
    "CONTENT_TRANSFER_ENCODING",
    "CONTENT_TYPE",
    "COOKIE",
    "DATE",
    "DESTINATION",
    "DIGEST",
    "ETAG",
    "EXPECT",
    "EXPIRES",
    "FORWARDED",
    "FROM",
    "HOST",
    "IF_MATCH",
    "IF_MODIFIED_SINCE",
    "IF_NONE_MATCH",
    "IF_RANGE",
    "IF_UNMODIFIED_SINCE",
    "KEEP_ALIVE",
    "LAST_EVENT_ID",
    "LAST_MODIFIED",
    "LINK",
    "LOCATION",
    "MAX_FORWARDS",
    "ORIGIN",
    "PRAGMA",
    "PROXY_AUTHENTICATE",
    "PROXY_AUTHORIZATION",
    "RANGE",
    "REFERER",
    "RETRY_AFTER",
    "SEC_WEBSOCKET_ACCEPT",
    "SEC_WEBSOCKET_VERSION",
    "SEC_WEBSOCKET_PROTOCOL",
    "SEC_WEBSOCKET_EXTENSIONS",
    "SEC_WEBSOCKET_KEY",
    "SEC_WEBSOCKET_KEY1",
    "SERVER",
    "SET_COOKIE",
    "TE",
    "TRAILER",
    "TRANSFER_ENCODING",
    "UPGRADE",
    "WEBSOCKET",
    "URI",
    "USER_AGENT",
    "VARY",
    "VIA",
    "WANT_DIGEST",
    "WARNING",
    "WWW_AUTHENTICATE",
)

METH_ANY: Final = "*"
METH_CONNECT: Final = "CONNECT"
METH_HEAD: Final = "HEAD"
METH_GET: Final = "GET"
METH_DELETE: Final = "DELETE"
METH_OPTIONS: Final = "OPTIONS"
METH_PATCH: Final = "PATCH"
METH_POST: Final = "POST"
METH_PUT: Final = "PUT"
METH_TRACE: Final = "TRACE"

#: Every method above except ``METH_ANY`` (a ``set`` in 2016; frozen here).
METH_ALL: Final[frozenset[str]] = frozenset(
    {
        METH_CONNECT,
        METH_HEAD,
        METH_GET,
        METH_DELETE,
        METH_OPTIONS,
        METH_PATCH,
        METH_POST,
        METH_PUT,
        METH_TRACE,
    }
)

ACCEPT: Final = istr("Accept")
ACCEPT_CHARSET: Final = istr("Accept-Charset")
ACCEPT_ENCODING: Final = istr("Accept-Encoding")
ACCEPT_LANGUAGE: Final = istr("Accept-Language")
ACCEPT_RANGES: Final = istr("Accept-Ranges")
ACCESS_CONTROL_MAX_AGE: Final = istr("Access-Control-Max-Age")
ACCESS_CONTROL_ALLOW_CREDENTIALS: Final = istr("Access-Control-Allow-Credentials")
ACCESS_CONTROL_ALLOW_HEADERS: Final = istr("Access-Control-Allow-Headers")
ACCESS_CONTROL_ALLOW_METHODS: Final = istr("Access-Control-Allow-Methods")
ACCESS_CONTROL_ALLOW_ORIGIN: Final = istr("Access-Control-Allow-Origin")
ACCESS_CONTROL_EXPOSE_HEADERS: Final = istr("Access-Control-Expose-Headers")
ACCESS_CONTROL_REQUEST_HEADERS: Final = istr("Access-Control-Request-Headers")
ACCESS_CONTROL_REQUEST_METHOD: Final = istr("Access-Control-Request-Method")
AGE: Final = istr("Age")
ALLOW: Final = istr("Allow")
AUTHORIZATION: Final = istr("Authorization")
CACHE_CONTROL: Final = istr("Cache-Control")
CONNECTION: Final = istr("Connection")
CONTENT_DISPOSITION: Final = istr("Content-Disposition")
CONTENT_ENCODING: Final = istr("Content-Encoding")
CONTENT_LANGUAGE: Final = istr("Content-Language")
CONTENT_LENGTH: Final = istr("Content-Length")
CONTENT_LOCATION: Final = istr("Content-Location")
CONTENT_MD5: Final = istr("Content-MD5")
CONTENT_RANGE: Final = istr("Content-Range")
CONTENT_TRANSFER_ENCODING: Final = istr("Content-Transfer-Encoding")
CONTENT_TYPE: Final = istr("Content-Type")
COOKIE: Final = istr("Cookie")
DATE: Final = istr("Date")
DESTINATION: Final = istr("Destination")
DIGEST: Final = istr("Digest")
ETAG: Final = istr("Etag")
EXPECT: Final = istr("Expect")
EXPIRES: Final = istr("Expires")
FORWARDED: Final = istr("Forwarded")
FROM: Final = istr("From")
HOST: Final = istr("Host")
IF_MATCH: Final = istr("If-Match")
IF_MODIFIED_SINCE: Final = istr("If-Modified-Since")
IF_NONE_MATCH: Final = istr("If-None-Match")
IF_RANGE: Final = istr("If-Range")
IF_UNMODIFIED_SINCE: Final = istr("If-Unmodified-Since")
KEEP_ALIVE: Final = istr("Keep-Alive")
LAST_EVENT_ID: Final = istr("Last-Event-ID")
LAST_MODIFIED: Final = istr("Last-Modified")
LINK: Final = istr("Link")
LOCATION: Final = istr("Location")
MAX_FORWARDS: Final = istr("Max-Forwards")
ORIGIN: Final = istr("Origin")
PRAGMA: Final = istr("Pragma")
PROXY_AUTHENTICATE: Final = istr("Proxy-Authenticate")
PROXY_AUTHORIZATION: Final = istr("Proxy-Authorization")
RANGE: Final = istr("Range")
REFERER: Final = istr("Referer")
RETRY_AFTER: Final = istr("Retry-After")
SEC_WEBSOCKET_ACCEPT: Final = istr("Sec-WebSocket-Accept")
SEC_WEBSOCKET_VERSION: Final = istr("Sec-WebSocket-Version")
SEC_WEBSOCKET_PROTOCOL: Final = istr("Sec-WebSocket-Protocol")
SEC_WEBSOCKET_EXTENSIONS: Final = istr("Sec-WebSocket-Extensions")
SEC_WEBSOCKET_KEY: Final = istr("Sec-WebSocket-Key")
SEC_WEBSOCKET_KEY1: Final = istr("Sec-WebSocket-Key1")
SERVER: Final = istr("Server")
SET_COOKIE: Final = istr("Set-Cookie")
TE: Final = istr("TE")
TRAILER: Final = istr("Trailer")
TRANSFER_ENCODING: Final = istr("Transfer-Encoding")
UPGRADE: Final = istr("Upgrade")
WEBSOCKET: Final = istr("WebSocket")
URI: Final = istr("URI")
USER_AGENT: Final = istr("User-Agent")
VARY: Final = istr("Vary")
VIA: Final = istr("Via")
WANT_DIGEST: Final = istr("Want-Digest")
WARNING: Final = istr("Warning")
WWW_AUTHENTICATE: Final = istr("WWW-Authenticate")

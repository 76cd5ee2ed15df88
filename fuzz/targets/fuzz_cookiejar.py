"""Fuzz target: CookieJar (aiohttp meta-package) fed Set-Cookie-ish strings from any URL.

A Set-Cookie value goes through ``http.cookies.SimpleCookie`` (the stdlib
parser 2016 used; it raises ``CookieError`` on what it cannot parse, the
documented error) and then into the jar, as a client does with a response.
Oracle: ``update_cookies`` and ``filter_cookies`` never raise for what the
stdlib parsed; the jar stays within its documented bounds.
"""

from __future__ import annotations

import sys
from http.cookies import CookieError, SimpleCookie

import atheris
from _harness import instrument

from aiohttp import CookieJar
from aiohttp._cookiejar import MAX_COOKIE_SIZE, MAX_COOKIES_PER_DOMAIN

_URLS = (
    "http://example.com/a/b",
    "https://sub.example.com/",
    "http://127.0.0.1/x",
    "http://[::1]/",
    "http://xn--e1afmkfd.xn--p1ai/path/",
    "",
)


def TestOneInput(data: bytes) -> None:  # noqa: N802 -- atheris' name
    fdp = atheris.FuzzedDataProvider(data)
    jar = CookieJar(unsafe=fdp.ConsumeBool())
    for _ in range(fdp.ConsumeIntInRange(1, 4)):
        url = _URLS[fdp.ConsumeIntInRange(0, len(_URLS) - 1)]
        text = fdp.ConsumeUnicodeNoSurrogates(200)
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(text)
        except CookieError:
            continue
        jar.update_cookies(cookie, url)
        if fdp.ConsumeBool():
            name = fdp.ConsumeUnicodeNoSurrogates(10)
            try:
                jar.update_cookies({name: fdp.ConsumeUnicodeNoSurrogates(20)}, url)
            except CookieError:
                pass  # documented (stdlib Morsel): an illegal cookie name
    for morsel in jar:
        assert len(morsel.key) + len(morsel.value) <= MAX_COOKIE_SIZE
    assert len(jar) <= 4 * MAX_COOKIES_PER_DOMAIN * 2
    for url in _URLS:
        filtered = jar.filter_cookies(url)
        assert isinstance(filtered, SimpleCookie)


def main() -> None:
    instrument()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""Hostile input for the meta-package helpers (issue 9): BasicAuth.decode and
CookieJar end in a result or their documented error, and the jar's bounds
hold exactly at their limits."""

from __future__ import annotations

import base64
from http.cookies import CookieError, SimpleCookie

import pytest
from hypothesis import given, settings, strategies as st
from yarl import URL

from aiohttp import BasicAuth
from aiohttp._cookiejar import MAX_COOKIE_SIZE, MAX_COOKIES, MAX_COOKIES_PER_DOMAIN
from aiohttp.helpers import CookieJar

SETTINGS = settings(max_examples=200, deadline=None)

_headers = st.one_of(
    st.text(max_size=60),
    st.text(max_size=60).map(lambda t: "Basic " + t),
    st.binary(max_size=40).map(lambda b: "Basic " + base64.b64encode(b).decode()),
    st.binary(max_size=40).map(lambda b: "basic  " + base64.b64encode(b).decode() + " "),
)


@SETTINGS
@given(header=_headers, encoding=st.sampled_from(["latin1", "utf-8", "ascii"]))
def test_basic_auth_decode_gives_credentials_or_value_error(header: str, encoding: str) -> None:
    try:
        auth = BasicAuth.decode(header, encoding=encoding)
    except ValueError:
        return
    assert ":" not in auth.login
    assert BasicAuth.decode(auth.encode(), encoding=encoding) == auth


@SETTINGS
@given(
    login=st.text(max_size=30).map(lambda t: t.replace(":", "")),
    password=st.text(max_size=30),
)
def test_basic_auth_round_trip(login: str, password: str) -> None:
    auth = BasicAuth(login, password, encoding="utf-8")
    assert BasicAuth.decode(auth.encode(), encoding="utf-8") == auth


_attrs = st.sampled_from(
    [
        "",
        "; Path=/",
        "; Path=/a/b",
        "; Path=rel",
        "; Domain=example.com",
        "; Domain=.example.com",
        "; Domain=other.org",
        "; Domain=",
        "; Max-Age=60",
        "; Max-Age=0",
        "; Max-Age=-5",
        "; Max-Age=abc",
        "; Max-Age=99999999999999999999",
        "; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
        "; Expires=Wed, 21 Oct 2999 07:28:00 GMT",
        "; Expires=99:99:99 32 Foo 1",
        "; Expires=1 jan 1600 00:00:00",
        "; Secure",
        "; HttpOnly",
        "; SameSite=Lax",
    ]
)
_set_cookie = st.one_of(
    st.text(max_size=80),
    st.tuples(
        st.text(alphabet="abcxyz_-!", min_size=1, max_size=6),
        st.text(max_size=20),
        st.lists(_attrs, max_size=4),
    ).map(lambda t: f"{t[0]}={t[1]}" + "".join(t[2])),
)
_urls = st.sampled_from(
    [
        "http://example.com/a/b",
        "https://sub.example.com/",
        "http://127.0.0.1/x",
        "http://[::1]/",
        "http://xn--e1afmkfd.xn--p1ai/p/",
        "",
    ]
)


@SETTINGS
@given(
    items=st.lists(st.tuples(_set_cookie, _urls), max_size=6),
    names=st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), max_size=3),
    unsafe=st.booleans(),
)
def test_cookie_jar_takes_any_set_cookie(
    items: list[tuple[str, str]], names: list[tuple[str, str]], unsafe: bool
) -> None:
    jar = CookieJar(unsafe=unsafe)
    for text, url in items:
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(text)  # the stdlib parser raises CookieError: documented
        except CookieError:
            continue
        jar.update_cookies(cookie, url)
    for name, value in names:
        try:
            jar.update_cookies({name: value}, "http://example.com/")
        except CookieError:  # illegal or reserved cookie name (stdlib Morsel), as in 2016
            pass
    for morsel in jar:
        assert len(morsel.key) + len(morsel.value) <= MAX_COOKIE_SIZE
    for url in ("http://example.com/a/b/c", "https://sub.example.com/x", "http://127.0.0.1/"):
        assert isinstance(jar.filter_cookies(url), SimpleCookie)


# -- the jar's bounds, at the limit and one past it ------------------------------


def test_cookie_size_at_and_past_the_limit() -> None:
    jar = CookieJar()
    url = URL("http://h.com/")
    jar.update_cookies({"at": "x" * (MAX_COOKIE_SIZE - 2)}, url)  # name + value == limit
    jar.update_cookies({"past": "x" * (MAX_COOKIE_SIZE - 3)}, url)  # limit + 1
    assert [m.key for m in jar] == ["at"]


def test_cookies_per_domain_at_and_past_the_limit() -> None:
    jar = CookieJar()
    url = URL("http://h.com/")
    jar.update_cookies({f"c{i}": "v" for i in range(MAX_COOKIES_PER_DOMAIN)}, url)
    assert len(jar) == MAX_COOKIES_PER_DOMAIN
    jar.update_cookies({"one-more": "v"}, url)
    names = [m.key for m in jar]
    assert len(names) == MAX_COOKIES_PER_DOMAIN
    assert "c0" not in names and "one-more" in names  # the oldest went


def test_cookies_in_all_at_and_past_the_limit() -> None:
    jar = CookieJar()
    for i in range(MAX_COOKIES):
        jar.update_cookies({"c": "v"}, URL(f"http://h{i}.com/"))
    assert len(jar) == MAX_COOKIES
    jar.update_cookies({"c": "v"}, URL("http://newest.com/"))
    domains = {m["domain"] for m in jar}
    assert len(jar) == MAX_COOKIES
    assert "h0.com" not in domains and "newest.com" in domains


def test_jar_limits_are_keyword_arguments() -> None:
    jar = CookieJar(max_cookie_size=10, max_cookies_per_domain=2, max_cookies=3)
    jar.update_cookies({"a": "x" * 9, "b": "x" * 10}, URL("http://h.com/"))  # 10 ok, 11 not
    assert [m.key for m in jar] == ["a"]
    jar.update_cookies({"c": "1", "d": "2"}, URL("http://h.com/"))
    assert sorted(m.key for m in jar) == ["c", "d"]  # per domain: the oldest went
    jar.update_cookies({"e": "1"}, URL("http://i.com/"))
    jar.update_cookies({"f": "1"}, URL("http://j.com/"))
    assert sorted(m.key for m in jar) == ["d", "e", "f"]  # in all: the oldest went
    with pytest.raises(ValueError, match="max_cookie_size"):
        CookieJar(max_cookie_size=0)
    with pytest.raises(ValueError, match="max_cookies_per_domain"):
        CookieJar(max_cookies_per_domain=0)
    with pytest.raises(ValueError, match="max_cookies must"):
        CookieJar(max_cookies=0)

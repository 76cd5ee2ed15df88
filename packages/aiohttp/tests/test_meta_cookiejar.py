"""``aiohttp.helpers.CookieJar``: RFC 6265 storage and matching rules."""

from __future__ import annotations

import time
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from yarl import URL

from aiohttp.helpers import CookieJar


def cookies(header: str) -> SimpleCookie:
    jar = SimpleCookie()
    jar.load(header)
    return jar


def sent(jar: CookieJar, url: str) -> dict[str, str]:
    return {name: m.value for name, m in jar.filter_cookies(URL(url)).items()}


def test_host_only_cookie_goes_back_to_that_host_only() -> None:
    jar = CookieJar()
    jar.update_cookies(cookies("a=1"), URL("http://example.com/"))
    assert sent(jar, "http://example.com/") == {"a": "1"}
    assert sent(jar, "http://www.example.com/") == {}
    assert sent(jar, "http://other.com/") == {}


def test_domain_cookie_goes_to_subdomains() -> None:
    jar = CookieJar()
    jar.update_cookies(cookies("a=1; Domain=.Example.com"), URL("http://www.example.com/"))
    assert sent(jar, "http://example.com/") == {"a": "1"}
    assert sent(jar, "http://deep.www.example.com/") == {"a": "1"}
    assert sent(jar, "http://badexample.com/") == {}


def test_a_server_cannot_set_a_cookie_for_another_domain() -> None:
    jar = CookieJar()
    jar.update_cookies(cookies("a=1; Domain=other.com"), URL("http://example.com/"))
    jar.update_cookies(cookies("b=2; Domain=www.example.com"), URL("http://example.com/"))
    assert len(jar) == 0


def test_default_path_is_the_request_directory() -> None:
    jar = CookieJar()
    jar.update_cookies(cookies("a=1"), URL("http://h.com/docs/page.html"))
    assert [m["path"] for m in jar] == ["/docs"]
    assert sent(jar, "http://h.com/docs") == {"a": "1"}
    assert sent(jar, "http://h.com/docs/x/y") == {"a": "1"}
    assert sent(jar, "http://h.com/docsx") == {}
    assert sent(jar, "http://h.com/") == {}


def test_explicit_path_and_most_specific_wins() -> None:
    jar = CookieJar()
    url = URL("http://h.com/")
    jar.update_cookies(cookies("id=root; Path=/"), url)
    jar.update_cookies(cookies("id=api; Path=/api/"), url)
    assert len(jar) == 2  # same name, different paths: two cookies
    assert sent(jar, "http://h.com/api/v1") == {"id": "api"}
    assert sent(jar, "http://h.com/other") == {"id": "root"}


def test_secure_cookies_only_over_https_and_wss() -> None:
    jar = CookieJar()
    jar.update_cookies(cookies("s=1; Secure"), URL("https://h.com/"))
    assert sent(jar, "http://h.com/") == {}
    assert sent(jar, "https://h.com/") == {"s": "1"}
    assert sent(jar, "wss://h.com/") == {"s": "1"}


def test_max_age_and_expires() -> None:
    jar = CookieJar()
    url = URL("http://h.com/")
    jar.update_cookies(cookies("a=1; Max-Age=3600"), url)
    jar.update_cookies(cookies("b=2; Expires=Wed, 09 Jun 2100 10:18:14 GMT"), url)
    jar.update_cookies(cookies("c=3; Expires=Wed, 09 Jun 1999 10:18:14 GMT"), url)
    assert sent(jar, "http://h.com/") == {"a": "1", "b": "2"}
    # Max-Age wins over Expires (RFC 6265 5.3 step 3).
    jar.update_cookies(cookies("b=2; Max-Age=0; Expires=Wed, 09 Jun 2100 10:18:14 GMT"), url)
    assert sent(jar, "http://h.com/") == {"a": "1"}


def test_cookie_expires_while_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    jar = CookieJar()
    jar.update_cookies(cookies("a=1; Max-Age=10"), URL("http://h.com/"))
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 11)
    assert sent(jar, "http://h.com/") == {}
    assert len(jar) == 0


def test_ip_hosts_are_refused_unless_unsafe() -> None:
    safe = CookieJar()
    safe.update_cookies(cookies("a=1"), URL("http://127.0.0.1/"))
    assert len(safe) == 0

    unsafe = CookieJar(unsafe=True)
    unsafe.update_cookies(cookies("a=1"), URL("http://127.0.0.1/"))
    assert sent(unsafe, "http://127.0.0.1/") == {"a": "1"}
    assert sent(unsafe, "http://127.0.0.2/") == {}


def test_cookies_without_url_are_shared_and_plain_mappings_work() -> None:
    jar = CookieJar()
    jar.update_cookies({"a": "1", "b": "2"})
    jar.update_cookies([("c", "3")])
    assert sent(jar, "http://anything.org/x") == {"a": "1", "b": "2", "c": "3"}


def test_overwrite_updates_value() -> None:
    jar = CookieJar()
    jar.update_cookies(cookies("a=1"), URL("http://h.com/"))
    jar.update_cookies(cookies("a=2"), URL("http://h.com/"))
    assert sent(jar, "http://h.com/") == {"a": "2"}
    assert len(jar) == 1


def test_jar_is_bounded() -> None:
    jar = CookieJar()
    url = URL("http://h.com/")
    for i in range(60):
        jar.update_cookies({f"c{i}": "v"}, url)
    assert len(jar) == 50
    names = set(sent(jar, "http://h.com/"))
    assert "c59" in names and "c0" not in names  # the oldest were evicted
    jar.update_cookies({"big": "x" * 5000}, url)
    assert "big" not in sent(jar, "http://h.com/")


@pytest.mark.parametrize(
    "date",
    [
        "Wed, 09 Jun 2100 10:18:14 GMT",
        "Wednesday, 09-Jun-00 10:18:14 GMT",  # two-digit year 00 -> 2000: past
        "Wed Jun  9 10:18:14 2100",
        "not a date",
    ],
)
def test_expires_formats(date: str) -> None:
    jar = CookieJar()
    jar.update_cookies(cookies(f'a=1; Expires="{date}"'), URL("http://h.com/"))
    expected = {"a": "1"} if "2100" in date or "not" in date else {}
    assert sent(jar, "http://h.com/") == expected


def test_save_and_load(tmp_path: Path) -> None:
    jar = CookieJar()
    jar.update_cookies(cookies("a=1; Domain=h.com; Path=/p; Secure"), URL("https://h.com/"))
    jar.save(tmp_path / "jar.pickle")
    again = CookieJar()
    again.load(tmp_path / "jar.pickle")
    assert sent(again, "https://www.h.com/p/q") == {"a": "1"}
    again.clear()
    assert len(again) == 0

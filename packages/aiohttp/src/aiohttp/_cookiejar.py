# Strategy: cookies live in one insertion-ordered dict keyed by RFC 6265's
# identity (domain, path, name), so age order is free for eviction and a
# same-named cookie on another path is a different cookie. Expiry is kept as
# an absolute loop-independent timestamp (time.time()) beside it. Matching
# follows RFC 6265 section 5: host-only vs domain cookies (5.3 step 6),
# domain-match (5.1.3), default-path and path-match (5.1.4), Secure (5.4).
# Hosts that are IP addresses are refused unless ``unsafe=True``, as in 2016.
from __future__ import annotations

import calendar
import datetime
import ipaddress
import pickle
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from http.cookies import BaseCookie, Morsel, SimpleCookie
from os import PathLike
from typing import Final

from yarl import URL

__all__ = ("CookieJar", "CookiesType")

#: What ``update_cookies`` accepts: a cookie object, a mapping of names to
#: values or morsels, or ``(name, value)`` pairs.
CookiesType = (
    BaseCookie[str] | Mapping[str, "str | Morsel[str]"] | Iterable[tuple[str, "str | Morsel[str]"]]
)

# RFC 6265 section 6.1 asks user agents to hold at least 4096 bytes per
# cookie, 50 cookies per domain and 3000 in all; we hold exactly that much
# and evict the oldest beyond it, so a hostile server cannot grow the jar.
# The defaults of CookieJar's keyword arguments of the same names.
MAX_COOKIE_SIZE: Final = 4096
MAX_COOKIES_PER_DOMAIN: Final = 50
MAX_COOKIES: Final = 3000

_Key = tuple[str, str, str]  # (domain, path, name)
_NO_URL: Final = URL()

# RFC 6265 section 5.1.1, the cookie-date tokens.
_DATE_DELIMS = re.compile(r"[\x09\x20-\x2f\x3b-\x40\x5b-\x60\x7b-\x7e]+")
_TIME = re.compile(r"^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?$")
_DAY = re.compile(r"^(\d{1,2})(?:\D.*)?$")
_YEAR = re.compile(r"^(\d{2,4})(?:\D.*)?$")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _parse_cookie_date(text: str) -> float | None:
    """Parse an Expires value the way RFC 6265 section 5.1.1 says; None if invalid."""
    hms: tuple[int, int, int] | None = None
    day = month = year = None
    for token in _DATE_DELIMS.split(text):
        if not token:
            continue
        if hms is None and (m := _TIME.match(token)):
            hms = (int(m[1]), int(m[2]), int(m[3]))
        elif day is None and (m := _DAY.match(token)):
            day = int(m[1])
        elif month is None and token[:3].lower() in _MONTHS:
            month = _MONTHS.index(token[:3].lower()) + 1
        elif year is None and (m := _YEAR.match(token)):
            year = int(m[1])
    if hms is None or day is None or month is None or year is None:
        return None
    if 70 <= year <= 99:
        year += 1900
    elif 0 <= year <= 69:
        year += 2000
    hour, minute, second = hms
    if not 1 <= day <= 31 or year < 1601 or hour > 23 or minute > 59 or second > 59:
        return None
    try:
        stamp = datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return float(calendar.timegm(stamp.timetuple()))


def _is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _domain_match(domain: str, host: str) -> bool:
    """RFC 6265 section 5.1.3."""
    if host == domain:
        return True
    return host.endswith("." + domain) and not _is_ip_address(host)


def _default_path(url: URL) -> str:
    """RFC 6265 section 5.1.4: the directory of the request path."""
    path = url.raw_path
    if not path.startswith("/") or path.count("/") == 1:
        return "/"
    return path[: path.rfind("/")]


def _path_match(request_path: str, cookie_path: str) -> bool:
    """RFC 6265 section 5.1.4."""
    if request_path == cookie_path:
        return True
    if not request_path.startswith(cookie_path):
        return False
    return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"


class CookieJar:
    """Stores cookies from responses and picks the ones to send with requests.

    :param unsafe: accept and send cookies for hosts that are IP addresses
        (refused by default, as browsers refuse domain cookies there).
    :param loop: accepted for compatibility with 2016 code; unused.
    :param max_cookie_size: a cookie whose name and value together are longer
        is ignored (bytes of text; RFC 6265 section 6.1's minimum by default).
    :param max_cookies_per_domain: beyond this many cookies for one domain the
        oldest are evicted.
    :param max_cookies: beyond this many cookies in all the oldest are evicted.
    """

    def __init__(
        self,
        *,
        unsafe: bool = False,
        loop: object = None,
        max_cookie_size: int = MAX_COOKIE_SIZE,
        max_cookies_per_domain: int = MAX_COOKIES_PER_DOMAIN,
        max_cookies: int = MAX_COOKIES,
    ) -> None:
        for name, value in (
            ("max_cookie_size", max_cookie_size),
            ("max_cookies_per_domain", max_cookies_per_domain),
            ("max_cookies", max_cookies),
        ):
            if value < 1:
                raise ValueError(f"{name} must be at least 1, got {value!r}")
        self._unsafe = unsafe
        self._max_cookie_size = max_cookie_size
        self._max_cookies_per_domain = max_cookies_per_domain
        self._max_cookies = max_cookies
        self._cookies: dict[_Key, Morsel[str]] = {}
        self._host_only: set[_Key] = set()
        self._expires: dict[_Key, float] = {}

    def __iter__(self) -> Iterator[Morsel[str]]:
        self._expire()
        return iter(list(self._cookies.values()))

    def __len__(self) -> int:
        self._expire()
        return len(self._cookies)

    def clear(self) -> None:
        """Forget every cookie."""
        self._cookies.clear()
        self._host_only.clear()
        self._expires.clear()

    def save(self, file_path: str | PathLike[str]) -> None:
        """Write the jar to ``file_path`` (pickle, as in 2016)."""
        with open(file_path, "wb") as f:
            pickle.dump((self._cookies, self._host_only, self._expires), f, pickle.HIGHEST_PROTOCOL)

    def load(self, file_path: str | PathLike[str]) -> None:
        """Read a jar written by :meth:`save`. Only load files you wrote:
        unpickling runs code."""
        with open(file_path, "rb") as f:
            self._cookies, self._host_only, self._expires = pickle.load(f)

    def update_cookies(self, cookies: CookiesType, response_url: URL | str = _NO_URL) -> None:
        """Store cookies received in a response from ``response_url``."""
        url = URL(response_url)
        host = (url.raw_host or "").lower()
        if not self._unsafe and _is_ip_address(host):
            return  # 2016 behaviour: never accept cookies from IP hosts
        items = cookies.items() if isinstance(cookies, Mapping) else cookies
        for name, value in items:
            morsel = value if isinstance(value, Morsel) else _new_morsel(name, value)
            self._store(morsel, url, host)
        self._expire()

    def _store(self, src: Morsel[str], url: URL, host: str) -> None:
        if len(src.key) + len(src.value) > self._max_cookie_size:
            return
        morsel = _new_morsel(src.key, src.value)
        for attr in ("path", "domain", "max-age", "expires", "secure", "httponly", "samesite"):
            if src[attr]:
                morsel[attr] = src[attr]

        domain = morsel["domain"].lower().lstrip(".")
        host_only = False
        if not domain:
            domain, host_only = host, bool(host)
        elif host and not _domain_match(domain, host):
            return  # RFC 6265 5.3 step 6: a server may not set another site's cookie
        morsel["domain"] = domain

        path = morsel["path"]
        if not path.startswith("/"):
            path = _default_path(url)
        morsel["path"] = path

        key = (domain, path, morsel.key)
        expires = self._expiry_of(morsel)
        self._discard(key)
        if expires is not None and expires <= time.time():
            return  # an expiry in the past deletes the cookie
        self._cookies[key] = morsel
        if host_only:
            self._host_only.add(key)
        if expires is not None:
            self._expires[key] = expires
        self._evict(domain)

    @staticmethod
    def _expiry_of(morsel: Morsel[str]) -> float | None:
        # RFC 6265 5.3 step 3: Max-Age wins over Expires.
        max_age = morsel["max-age"]
        if max_age:
            try:
                seconds = int(max_age)
            except ValueError:
                pass
            else:
                return time.time() + seconds if seconds > 0 else 0.0
        if morsel["expires"]:
            return _parse_cookie_date(morsel["expires"])
        return None

    def _discard(self, key: _Key) -> None:
        self._cookies.pop(key, None)
        self._host_only.discard(key)
        self._expires.pop(key, None)

    def _evict(self, domain: str) -> None:
        same_domain = [k for k in self._cookies if k[0] == domain]
        for key in same_domain[: max(0, len(same_domain) - self._max_cookies_per_domain)]:
            self._discard(key)
        overflow = len(self._cookies) - self._max_cookies
        for key in list(self._cookies)[: max(0, overflow)]:
            self._discard(key)

    def _expire(self) -> None:
        now = time.time()
        for key in [k for k, when in self._expires.items() if when <= now]:
            self._discard(key)

    def filter_cookies(self, request_url: URL | str = _NO_URL) -> SimpleCookie:
        """The cookies to send with a request to ``request_url``."""
        self._expire()
        url = URL(request_url)
        host = (url.raw_host or "").lower()
        secure = url.scheme in ("https", "wss")
        ip_host = _is_ip_address(host)
        path = url.raw_path or "/"
        filtered = SimpleCookie()
        # Longer paths last, so the most specific same-named cookie wins.
        for key in sorted(self._cookies, key=lambda k: len(k[1])):
            domain, cookie_path, name = key
            morsel = self._cookies[key]
            if domain:  # cookies stored without a URL are shared with everyone
                if ip_host and not self._unsafe:
                    continue
                if key in self._host_only:
                    if domain != host:
                        continue
                elif not _domain_match(domain, host):
                    continue
                if not _path_match(path, cookie_path):
                    continue
            if morsel["secure"] and not secure:
                continue
            filtered[name] = morsel.value
        return filtered


def _new_morsel(name: str, value: str) -> Morsel[str]:
    morsel: Morsel[str] = Morsel()
    morsel.set(name, value, value)
    return morsel

# Strategy: the two small 2016 ``aiohttp.helpers`` utilities the protocol code
# and its users need below the meta-package: ``parse_mimetype`` (a forgiving
# split of a media type, same results as 2016) and ``reify`` (a cached,
# read-only property stored in the instance ``__dict__``).
from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar, overload

__all__ = ("parse_mimetype", "reify")

_T = TypeVar("_T")
_R = TypeVar("_R")


def parse_mimetype(mimetype: str | None) -> tuple[str, str, str, dict[str, str]]:
    """Split a MIME type into ``(type, subtype, suffix, params)``.

    >>> parse_mimetype("text/html; charset=utf-8")
    ('text', 'html', '', {'charset': 'utf-8'})
    >>> parse_mimetype("application/hal+json")
    ('application', 'hal', 'json', {})

    Type, subtype, suffix and parameter names are lower-cased; parameter
    values keep their case and lose surrounding blanks and double quotes.
    An empty or ``None`` input gives ``('', '', '', {})``.
    """
    if not mimetype:
        return "", "", "", {}

    parts = mimetype.split(";")
    params: dict[str, str] = {}
    for item in parts[1:]:
        if not item:
            continue
        key, _, value = item.partition("=")
        params[key.lower().strip()] = value.strip(' "')

    fulltype = parts[0].strip().lower()
    if fulltype == "*":
        fulltype = "*/*"
    mtype, _, stype = fulltype.partition("/")
    stype, _, suffix = stype.partition("+")
    return mtype, stype, suffix, params


class reify(Generic[_T, _R]):
    """A property computed once per instance, then read from ``__dict__``.

    Like ``property`` but the wrapped method runs only on first access; the
    result is cached in the instance's ``__dict__`` (so the class needs one).
    Assigning to it raises ``AttributeError``.
    """

    def __init__(self, wrapped: Callable[[_T], _R]) -> None:
        self.wrapped = wrapped
        self.__doc__ = wrapped.__doc__
        self.name = wrapped.__name__

    @overload
    def __get__(self, inst: None, owner: type[_T] | None = None) -> reify[_T, _R]: ...

    @overload
    def __get__(self, inst: _T, owner: type[_T] | None = None) -> _R: ...

    def __get__(self, inst: _T | None, owner: type[_T] | None = None) -> reify[_T, _R] | _R:
        if inst is None:
            return self
        cache: dict[str, _R] = inst.__dict__
        try:
            return cache[self.name]
        except KeyError:
            val = self.wrapped(inst)
            cache[self.name] = val
            return val

    def __set__(self, inst: _T, value: _R) -> None:
        raise AttributeError("reified property is read-only")

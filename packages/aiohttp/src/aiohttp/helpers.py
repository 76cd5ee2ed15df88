"""The 2016 ``aiohttp.helpers`` module: ``BasicAuth``, ``FormData``,
``Timeout``, ``CookieJar``, ``create_future``, ``ensure_future``, and
re-exports of ``parse_mimetype``, ``reify`` and ``AccessLogger``."""

__all__ = (
    "BasicAuth",
    "CookieJar",
    "Timeout",
    "create_future",
    "ensure_future",
)

from ._basic_auth import BasicAuth as BasicAuth
from ._cookiejar import CookieJar as CookieJar
from ._futures import create_future as create_future, ensure_future as ensure_future
from ._timeout import Timeout as Timeout

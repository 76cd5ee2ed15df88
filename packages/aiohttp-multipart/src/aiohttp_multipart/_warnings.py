# Strategy: the two 2016 warning classes live apart from the parsing code,
# so the pure modules and their compiled twins (see _speedups) raise the
# very same classes (mypyc cannot compile subclasses of built-in exceptions).
from __future__ import annotations

__all__ = ("BadContentDispositionHeader", "BadContentDispositionParam")


class BadContentDispositionHeader(RuntimeWarning):
    """Warned when a Content-Disposition header is missing or cannot be parsed.

    :func:`parse_content_disposition` then returns ``(None, {})``.
    """


class BadContentDispositionParam(RuntimeWarning):
    """Warned when one Content-Disposition parameter is malformed; it is skipped."""

"""Constants and the end-of-stream exception shared by all streams."""

# Strategy: the names every stream module needs, in a module that mypyc never
# compiles: EofStream must be one class whichever build of the readers is in
# use, since callers catch it; and the run-time stand-in for mypyc_attr must
# run as Python (see below).

from __future__ import annotations

from typing import TYPE_CHECKING, Final

__all__ = ("DEFAULT_LIMIT", "EOF_MARKER", "EofStream")

#: What the byte readers return once the stream is exhausted (2016: ``b''``).
EOF_MARKER: Final[bytes] = b""

#: Default line limit and flow-control high-water mark, in bytes.
#: Same value as aiohttp 2016 and as ``asyncio.streams._DEFAULT_LIMIT`` (64 KiB).
DEFAULT_LIMIT: Final[int] = 2**16

if TYPE_CHECKING:
    from mypy_extensions import mypyc_attr as mypyc_attr
else:
    # mypyc reads this class decorator at compile time and never calls it,
    # so at run time a no-op stands in and the package needs no
    # mypy_extensions. It lives here, in a module mypyc does not compile:
    # compiled code cannot run the branch mypy deems unreachable.
    def mypyc_attr(*attrs, **kwattrs):
        return lambda cls: cls


class EofStream(Exception):
    """End of stream: raised by :meth:`DataQueue.read` once the queue is empty and closed."""

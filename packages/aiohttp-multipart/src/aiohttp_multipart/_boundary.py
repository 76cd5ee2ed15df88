# Strategy: the part of the boundary search that is Python code rather than
# one bytes.find call: deciding how much of a chunk with no whole delimiter
# can be handed out, i.e. where a possible start of the delimiter begins.
# Kept in a module of its own so it has a compiled twin (see _speedups).
from __future__ import annotations

__all__ = ("safe_len",)


def safe_len(buf: bytes | bytearray, delim: bytes) -> int:
    """How many leading bytes of ``buf`` cannot belong to ``delim``.

    ``buf`` holds no whole delimiter; only a tail that is a real prefix of
    it (``delim`` starts with CR) has to be held back.
    """
    n = len(buf)
    pos = buf.find(b"\r", max(0, n - len(delim) + 1))
    while pos != -1:
        if delim.startswith(buf[pos:]):
            return pos
        pos = buf.find(b"\r", pos + 1)
    return n

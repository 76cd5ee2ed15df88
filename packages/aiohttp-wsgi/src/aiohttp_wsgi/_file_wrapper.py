# Strategy: the ``wsgi.file_wrapper`` of PEP 3333 ("Optional Platform-Specific
# File Handling"): an iterable over fixed-size blocks of a file-like object whose
# ``close()`` closes the file, so the server's usual "iterate, then close()" path
# serves files with bounded memory.
from __future__ import annotations

from collections.abc import Iterator
from typing import Final, Protocol

__all__ = ("FileWrapper", "DEFAULT_CHUNK_SIZE")

#: Block size for file responses; same as aiohttp 2016 and wsgiref.
DEFAULT_CHUNK_SIZE: Final = 8192


class _BinaryReadable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class FileWrapper:
    """Iterate over a binary file-like object in blocks of ``chunk_size`` bytes.

    Exposed to applications as ``environ['wsgi.file_wrapper']``::

        return environ["wsgi.file_wrapper"](open(path, "rb"), 32768)

    ``close()`` closes the wrapped object when it has a ``close()`` method.
    """

    def __init__(self, fobj: _BinaryReadable, chunk_size: int = DEFAULT_CHUNK_SIZE) -> None:
        if chunk_size <= 0:
            raise ValueError(f"chunk_size must be positive, got {chunk_size!r}")
        self.fobj = fobj
        self.chunk_size = chunk_size

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        data = self.fobj.read(self.chunk_size)
        if data:
            return data
        raise StopIteration

    def close(self) -> None:
        """Close the wrapped file-like object, if it can be closed."""
        close = getattr(self.fobj, "close", None)
        if close is not None:
            close()

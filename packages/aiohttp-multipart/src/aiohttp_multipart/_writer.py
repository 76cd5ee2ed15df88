# Strategy: a writer never holds a body. ``serialize()`` returns a lazy
# sequence of chunks that can be walked with ``for`` (2016 callers: bytes,
# str, files, sync iterables) or ``async for`` (which also accepts async
# iterables as part bodies). Both walks share one plan: a generator of
# literal bytes (boundaries, headers) and body sources, each body passed
# through a chain of incremental encoders (Content-Encoding, then
# Content-Transfer-Encoding). Names and file names are written the RFC 7578
# way for form-data (quoted, raw UTF-8, %22/%0D/%0A) and the RFC 6266 way
# otherwise (see _disposition.format_content_disposition).
from __future__ import annotations

import io
import json
import mimetypes
import uuid
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import ClassVar, Final
from urllib.parse import urlencode

from multidict import CIMultiDict

from aiohttp_parsers.hdrs import (
    CONTENT_DISPOSITION,
    CONTENT_ENCODING,
    CONTENT_TRANSFER_ENCODING,
    CONTENT_TYPE,
)

from ._disposition import (
    content_disposition_filename,
    format_content_disposition,
    parse_content_disposition,
    parse_content_type,
)
from ._encodings import Encoder, make_content_encoder, make_transfer_encoder

__all__ = ("BodyPartWriter", "MultipartWriter")

_Headers = Mapping[str, str] | Iterable[tuple[str, str]]
_Source = Iterable[object] | AsyncIterable[object]

# RFC 2046 section 5.1.1: bchars := bcharsnospace / " "
_BCHARS: Final = frozenset(
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? "
)
_TOKEN: Final = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


def _to_bytes(item: object, charset: str) -> bytes:
    if isinstance(item, bytes):
        return item
    if isinstance(item, (bytearray, memoryview)):
        return bytes(item)
    if isinstance(item, str):
        return item.encode(charset)
    raise TypeError(f"body chunks must be bytes or str, got {type(item).__name__}")


class _Body:
    """One part body: a source of chunks and the encoders it goes through."""

    __slots__ = ("source", "charset", "encoders")

    def __init__(self, source: _Source, charset: str, encoders: list[Encoder]) -> None:
        self.source = source
        self.charset = charset
        self.encoders = encoders

    def feed(self, item: object) -> bytes:
        data = _to_bytes(item, self.charset)
        for enc in self.encoders:
            if not data:
                break
            data = enc.feed(data)
        return data

    def flush(self) -> bytes:
        out = []
        for i, enc in enumerate(self.encoders):
            data = enc.flush()
            for later in self.encoders[i + 1 :]:
                if data:
                    data = later.feed(data)
            out.append(data)
        return b"".join(out)


_Plan = Callable[[], Iterator["bytes | _Body"]]


class _Chunks:
    """The serialized body: iterate with ``for`` or ``async for`` to get bytes.

    ``for`` works when every part body is bytes, str, a file or a sync
    iterable; ``async for`` also takes async iterables.
    """

    __slots__ = ("_plan",)

    def __init__(self, plan: _Plan) -> None:
        self._plan = plan

    def __iter__(self) -> Iterator[bytes]:
        for piece in self._plan():
            if isinstance(piece, bytes):
                if piece:
                    yield piece
                continue
            source = piece.source
            if not isinstance(source, Iterable):
                raise TypeError(
                    "a part body is an async iterable: walk serialize() with `async for`"
                )
            for item in source:
                out = piece.feed(item)
                if out:
                    yield out
            tail = piece.flush()
            if tail:
                yield tail

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for piece in self._plan():
            if isinstance(piece, bytes):
                if piece:
                    yield piece
                continue
            source = piece.source
            if isinstance(source, AsyncIterable):
                async for item in source:
                    out = piece.feed(item)
                    if out:
                        yield out
            else:
                for item in source:
                    out = piece.feed(item)
                    if out:
                        yield out
            tail = piece.flush()
            if tail:
                yield tail


def _read_file(obj: io.IOBase, chunk_size: int) -> Iterator[object]:
    while True:
        chunk: object = obj.read(chunk_size)
        if not chunk:
            return
        yield chunk


def _check_header(name: str, value: str) -> None:
    # RFC 9110 section 5.5: no CR, LF or NUL in a field; refusing them here
    # keeps a caller's value from injecting headers or a boundary.
    if not name or not set(name) <= _TOKEN:
        raise ValueError(f"bad header name {name[:100]!r}")
    if "\r" in value or "\n" in value or "\x00" in value:
        raise ValueError(f"header {name!r} value contains CR, LF or NUL: {value[:100]!r}")


class BodyPartWriter:
    """One part of a multipart body.

    ``obj`` is bytes, str, a file object, a :class:`MultipartWriter`, a sync
    or async iterable of bytes/str chunks, or (with a JSON or urlencoded
    Content-Type) any object those encode. Missing Content-Type and, for
    named files, Content-Disposition are guessed. Content-Encoding (gzip,
    deflate, identity) and Content-Transfer-Encoding (base64,
    quoted-printable) headers are applied while serializing.

    .. attribute:: obj
    .. attribute:: headers
    """

    def __init__(
        self, obj: object, headers: _Headers | None = None, *, chunk_size: int = 8192
    ) -> None:
        self.obj = obj
        self.headers: CIMultiDict[str] = CIMultiDict(headers or ())
        self._chunk_size = chunk_size
        self._kind = ""  # "json" / "form" when appended with append_json/append_form
        self._fill_headers_with_defaults()

    def _fill_headers_with_defaults(self) -> None:
        if CONTENT_TYPE not in self.headers:
            self.headers[CONTENT_TYPE] = self._guess_content_type(self.obj)
        if CONTENT_DISPOSITION not in self.headers:
            filename = self._guess_filename(self.obj)
            if filename is not None:
                self.set_content_disposition("attachment", filename=filename)

    def _guess_content_type(self, obj: object, default: str = "application/octet-stream") -> str:
        if isinstance(obj, MultipartWriter):
            return obj.headers[CONTENT_TYPE]
        if isinstance(obj, (str, io.TextIOBase)):
            return "text/plain; charset=utf-8"
        name = getattr(obj, "name", None)
        if isinstance(name, str):
            return mimetypes.guess_type(name)[0] or default
        return default

    def _guess_filename(self, obj: object) -> str | None:
        if isinstance(obj, io.IOBase):
            name = getattr(obj, "name", None)
            if isinstance(name, str) and name:
                return Path(name).name
        return None

    def set_content_disposition(self, disptype: str, **params: str) -> None:
        """Set Content-Disposition: ``set_content_disposition('form-data', name='f')``.

        ``form-data`` values are written as RFC 7578 section 4.2 and browsers
        do: quoted, raw UTF-8, ``"``/CR/LF as %22/%0D/%0A, no ``filename*``.
        Other types use RFC 6266 quoting, with ``name*=utf-8''...`` for
        non-ASCII values.
        """
        self.headers[CONTENT_DISPOSITION] = format_content_disposition(disptype, params)

    @property
    def filename(self) -> str | None:
        """The file name in Content-Disposition, if any."""
        _, params = parse_content_disposition(self.headers.get(CONTENT_DISPOSITION))
        return content_disposition_filename(params)

    def serialize(self) -> _Chunks:
        """The part (headers, blank line, encoded body, CRLF) as byte chunks."""
        return _Chunks(self._plan)

    # -- internals ---------------------------------------------------------------

    def _plan(self) -> Iterator[bytes | _Body]:
        yield self._serialize_headers()
        yield self._body()
        yield b"\r\n"

    def _serialize_headers(self) -> bytes:
        lines = []
        for name, value in self.headers.items():
            _check_header(name, value)
            # RFC 7578 section 5.1.1: non-ASCII field and file names are sent
            # as raw UTF-8; header names are ASCII tokens.
            lines.append(f"{name}: {value}\r\n".encode())
        lines.append(b"\r\n")
        return b"".join(lines)

    def _charset(self) -> str:
        ctype = parse_content_type(self.headers.get(CONTENT_TYPE))
        return (ctype[2].get("charset") if ctype else None) or "utf-8"

    def _body(self) -> _Body:
        encoders: list[Encoder] = []
        if CONTENT_ENCODING in self.headers:
            enc = make_content_encoder(self.headers[CONTENT_ENCODING])
            if enc is not None:
                encoders.append(enc)
        if CONTENT_TRANSFER_ENCODING in self.headers:
            enc = make_transfer_encoder(self.headers[CONTENT_TRANSFER_ENCODING])
            if enc is not None:
                encoders.append(enc)
        charset = self._charset()
        return _Body(self._source(charset), charset, encoders)

    def _source(self, charset: str) -> _Source:
        obj = self.obj
        ctype = parse_content_type(self.headers.get(CONTENT_TYPE))
        mtype = (ctype[0], ctype[1]) if ctype else ("", "")
        if self._kind == "json":
            return (json.dumps(obj),)
        if self._kind == "form":
            return (self._urlencode(obj),)
        if isinstance(obj, (bytes, bytearray, memoryview, str)):
            return (obj,)
        if isinstance(obj, MultipartWriter):
            return obj.serialize()
        if isinstance(obj, io.IOBase):
            return _read_file(obj, self._chunk_size)
        if mtype == ("application", "json"):
            return (json.dumps(obj),)
        if mtype == ("application", "x-www-form-urlencoded") and isinstance(
            obj, (Mapping, list, tuple)
        ):
            return (self._urlencode(obj),)
        if isinstance(obj, (AsyncIterable, Iterable)):
            return obj
        raise TypeError(f"unknown body part type {type(obj).__name__!r}")

    @staticmethod
    def _urlencode(obj: object) -> str:
        if isinstance(obj, Mapping):
            return urlencode(list(obj.items()), doseq=True)
        if isinstance(obj, (list, tuple)):
            return urlencode(list(obj), doseq=True)
        raise TypeError(f"a form must be a mapping or a sequence of pairs, got {type(obj)!r}")


class MultipartWriter:
    """Builder of a multipart body (``multipart/<subtype>``).

    .. attribute:: headers

       Carries the Content-Type with the boundary.

    .. attribute:: parts

       The :class:`BodyPartWriter` objects, in order.
    """

    part_writer_cls: ClassVar[type[BodyPartWriter]] = BodyPartWriter

    def __init__(self, subtype: str = "mixed", boundary: str | None = None) -> None:
        boundary = boundary if boundary is not None else uuid.uuid4().hex
        if not boundary.isascii():
            raise ValueError("boundary should contains ASCII only chars")
        # RFC 2046 section 5.1.1: 1 to 70 bchars, not ending with a space.
        if not 0 < len(boundary) <= 70 or not set(boundary) <= _BCHARS or boundary[-1] == " ":
            raise ValueError(f"boundary {boundary!r} is not valid for RFC 2046")
        if not subtype or not set(subtype) <= _TOKEN:
            raise ValueError(f"bad multipart subtype {subtype!r}")
        self.headers: CIMultiDict[str] = CIMultiDict()
        self.headers[CONTENT_TYPE] = f'multipart/{subtype}; boundary="{boundary}"'
        self.parts: list[BodyPartWriter] = []

    def __enter__(self) -> MultipartWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_val: BaseException | None,
        exc_tb: TracebackType | None,
    ) -> None:
        pass

    def __iter__(self) -> Iterator[BodyPartWriter]:
        return iter(self.parts)

    def __len__(self) -> int:
        return len(self.parts)

    @property
    def boundary(self) -> bytes:
        """The boundary, as bytes."""
        ctype = parse_content_type(self.headers.get(CONTENT_TYPE))
        if ctype is None or "boundary" not in ctype[2]:
            raise ValueError("Content-Type of the writer lost its boundary")
        return ctype[2]["boundary"].encode("ascii")

    def append(self, obj: object, headers: _Headers | None = None) -> BodyPartWriter:
        """Add a part (a :class:`BodyPartWriter` or anything it accepts)."""
        if isinstance(obj, BodyPartWriter):
            if headers:
                obj.headers.update(headers)
            part = obj
        else:
            part = self.part_writer_cls(obj, headers)
        self.parts.append(part)
        return part

    def append_json(self, obj: object, headers: _Headers | None = None) -> BodyPartWriter:
        """Add a part holding ``obj`` as application/json."""
        hdrs: CIMultiDict[str] = CIMultiDict(headers or ())
        hdrs[CONTENT_TYPE] = "application/json"
        part = self.append(obj, hdrs)
        part._kind = "json"
        return part

    def append_form(
        self,
        obj: Mapping[str, str] | Iterable[tuple[str, str]],
        headers: _Headers | None = None,
    ) -> BodyPartWriter:
        """Add a part holding ``obj`` as application/x-www-form-urlencoded."""
        if not isinstance(obj, (Mapping, list, tuple)):
            obj = list(obj)
        hdrs: CIMultiDict[str] = CIMultiDict(headers or ())
        hdrs[CONTENT_TYPE] = "application/x-www-form-urlencoded"
        part = self.append(obj, hdrs)
        part._kind = "form"
        return part

    def serialize(self) -> _Chunks:
        """The whole body as byte chunks (``for`` or ``async for``)."""
        return _Chunks(self._plan)

    def _plan(self) -> Iterator[bytes | _Body]:
        boundary = self.boundary
        for part in self.parts:
            yield b"--" + boundary + b"\r\n"
            yield from part._plan()
        # RFC 2046 requires one part at least; with none we still send the
        # closing delimiter, as browsers do for an empty form.
        yield b"--" + boundary + b"--\r\n"

# Strategy: MultipartReader owns a lookahead buffer (_Source) over the body
# stream; it skips the preamble, checks each boundary line, reads the part's
# headers within their limits and hands the same buffer to a BodyPartReader.
# The part reader returns body bytes chunk by chunk: it looks for the
# delimiter CRLF "--" boundary with one bytes.find over what it holds, returns
# everything that cannot be the start of a delimiter, and keeps back at most
# the delimiter length. A chunk read from the stream that holds neither a
# delimiter nor the start of one is returned as it came (no copy); the
# shared buffer is only used around part edges. When the part reader finds
# the delimiter it leaves "--boundary..." at the front of the buffer for the
# MultipartReader. Memory per part is therefore one chunk plus the boundary,
# whatever the part's size. A multipart/* part is read by a nested
# MultipartReader whose stream is the outer part itself, so the inner
# epilogue ends at the outer delimiter on its own. EOF before a closing
# delimiter is always an error.
from __future__ import annotations

import codecs
import inspect
import json
import warnings
from collections.abc import Mapping
from typing import ClassVar, Final, NoReturn, overload
from urllib.parse import parse_qsl

from multidict import CIMultiDict, CIMultiDictProxy

from aiohttp_errors import BadHttpMessage, LineLimitExceededParserError, LineTooLong
from aiohttp_parsers.hdrs import (
    CONTENT_DISPOSITION,
    CONTENT_ENCODING,
    CONTENT_TRANSFER_ENCODING,
    CONTENT_TYPE,
)

from ._encodings import decode_content, decode_transfer
from ._limits import (
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_MAX_EPILOGUE_SIZE,
    DEFAULT_MAX_LINE_SIZE,
    DEFAULT_MAX_NESTING_DEPTH,
    DEFAULT_MAX_PART_HEADER_SIZE,
    DEFAULT_MAX_PART_HEADERS,
    DEFAULT_MAX_PART_SIZE,
    DEFAULT_MAX_PARTS,
    DEFAULT_MAX_PREAMBLE_SIZE,
)
from ._source import _SMALL_CUT, ContentStream, ResponseLike, _Budget, _cut, _Source
from ._speedups import (
    content_disposition_filename,
    parse_buffered_headers,
    parse_content_disposition,
    parse_content_type,
    parse_form_headers,
    read_part_headers,
    safe_len,
)
from ._warnings import BadContentDispositionHeader

__all__ = ("BodyPartReader", "MultipartReader", "MultipartResponseWrapper")

# Chunk size for read()/release(): large enough that a big part costs few
# awaits, bounded so draining a part never holds more than this.
_BULK_CHUNK: Final = 65536
# RFC 2046 section 5.1.1: boundary := 0*69<bchars> bcharsnospace
_MAX_BOUNDARY_LENGTH: Final = 70


def _as_proxy(headers: Mapping[str, str]) -> CIMultiDictProxy[str]:
    if isinstance(headers, CIMultiDictProxy):
        return headers
    if isinstance(headers, CIMultiDict):
        return CIMultiDictProxy(headers)
    return CIMultiDictProxy(CIMultiDict(headers))


class BodyPartReader:
    """Reader of one body part of a multipart body.

    ``boundary`` is the dash-boundary (``b'--' + boundary``) as in 2016;
    ``content`` is the stream positioned at the start of the part's body.
    Iterating (``async for``) yields the whole body once, like :meth:`next`.

    .. attribute:: chunk_size

       Default size for :meth:`read_chunk` (8192, as in 2016).
    """

    chunk_size: ClassVar[int] = 8192

    def __init__(
        self,
        boundary: bytes,
        headers: Mapping[str, str],
        content: ContentStream,
        *,
        max_size: int | None = DEFAULT_MAX_PART_SIZE,
        max_line_size: int = DEFAULT_MAX_LINE_SIZE,
    ) -> None:
        # Made a CIMultiDictProxy when first read (see headers): the reader
        # of a form field often never reads them.
        self._headers = headers
        self._boundary = boundary
        self._delim = b"\r\n" + boundary
        self._dlen = len(self._delim)
        self._tail = 1 - self._dlen
        # RFC 2046 boundaries have no CR; one passed here directly might.
        # (An int needle: a one-byte bytes needle costs several times more.)
        self._tail_cr_only = 13 not in boundary
        self._content = content
        # Over the MultipartReader's buffer the part scans that buffer in
        # place (no copy of what follows the part, no push back); over any
        # other stream it keeps its own lookahead and pushes back the rest.
        # With the shared buffer empty, chunks come straight from the stream.
        if isinstance(content, _Source):
            self._shared = True
            self._buf = content._buf
            self._raw_read = content._inner.read
        else:
            self._shared = False
            self._buf = bytearray()
            self._raw_read = content.read
        self._at_eof = False
        self._read_bytes = 0
        self._max_size = max_size
        self._max_line_size = max_line_size
        self._disposition: tuple[str | None, dict[str, str]] | None = None
        # (name, filename) as the two properties compute them, once known
        # to be the same on every call (see _plain_names).
        self._names: tuple[str | None, str | None] | None = None

    @property
    def headers(self) -> CIMultiDictProxy[str]:
        """The part's headers (a :class:`multidict.CIMultiDictProxy`)."""
        headers = self._headers
        if not isinstance(headers, CIMultiDictProxy):
            headers = self._headers = _as_proxy(headers)
        return headers

    @headers.setter
    def headers(self, value: Mapping[str, str]) -> None:
        self._headers = value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.filename or self.name or ''!r}>"

    def __aiter__(self) -> BodyPartReader:
        return self

    async def __anext__(self) -> bytearray:
        part = await self.next()
        if part is None:
            raise StopAsyncIteration
        return part

    async def next(self) -> bytearray | None:
        """Read the whole body; ``None`` when it is empty or already read."""
        item = await self.read()
        return item if item else None

    async def read(self, *, decode: bool = False) -> bytearray:
        """Read the rest of the body; with ``decode=True`` undo its encodings."""
        data = bytearray()
        while not self._at_eof:
            data += await self.read_chunk(_BULK_CHUNK)
        if decode:
            return bytearray(self.decode(data))
        return data

    async def read_chunk(self, size: int = chunk_size) -> bytes:
        """Read at most ``size`` bytes of the body (``b''`` at its end).

        Never holds more than ``size`` plus the delimiter length. With a
        ``max_size``, every byte up to it is returned first; the read that
        finds the body longer raises.
        """
        if self._max_size is not None and size > self._max_size - self._read_bytes:
            # Not one chunk over the limit: otherwise which bytes (and, for a
            # nested multipart, which inner parts) come out before the error
            # would depend on how the body arrived.
            size = max(self._max_size - self._read_bytes, 1)
        if not self._buf and size >= self._dlen and not self._at_eof:
            # Fast path, taken for nearly every chunk of a big part: a chunk
            # that holds no delimiter and does not end with a possible start
            # of one is returned as it came, without a copy. Every test and
            # attribute here costs on each of a big upload's chunks.
            data = await self._raw_read(size)
            idx = data.find(self._delim)
            n = len(data)
            # A possible start of the delimiter at the end begins with a CR
            # in the last len(delimiter) - 1 bytes (all of a shorter chunk:
            # the negative start is clamped to 0). Only the last such CR can
            # begin one, as the delimiter holds no other CR (_tail_cr_only);
            # one followed by a byte other than LF cannot. That leaves
            # safe_len() the chunks with a CRLF or a CR at the very end.
            if (
                idx == -1
                and 0 < n <= size
                and (
                    (cr := data.rfind(b"\r", self._tail)) == -1
                    or (cr + 1 < n and data[cr + 1] != 10 and self._tail_cr_only)
                )
            ):
                # No limit check: the clamp above keeps n within max_size
                # (it lets one byte over only with a size below the delimiter's).
                self._read_bytes += n
                return data
            chunk = self._read_rest(data, idx, size)
            if chunk is not None:
                return chunk
        elif self._at_eof:
            return b""
        elif size < 1:
            raise ValueError(f"size must be positive, got {size!r}")
        elif not self._buf:
            dlen = self._dlen
            data = await self._raw_read(size if size > dlen else dlen)
            chunk = self._read_rest(data, data.find(self._delim), size)
            if chunk is not None:
                return chunk
        # The buffer holds the rest of a chunk (after part headers, or a
        # possible delimiter start held back): cut from it, reading more only
        # when what it holds might all be the start of the delimiter. A small
        # part ends here without a single await.
        buf = self._buf
        delim = self._delim
        while True:
            idx = buf.find(delim)
            if idx != -1:
                if idx > size:
                    chunk = _cut(buf, size)
                elif self._shared:
                    # The part ends here (every small form field): _finish()
                    # and _count() without the calls, CRLF cut with the body.
                    if idx <= _SMALL_CUT:
                        chunk = bytes(buf[:idx])
                        del buf[: idx + 2]
                    else:
                        chunk = _cut(buf, idx)
                        del buf[:2]
                    self._at_eof = True
                    self._read_bytes += idx
                    if self._max_size is not None and self._read_bytes > self._max_size:
                        self._over_max_size()
                    return chunk
                else:
                    chunk = _cut(buf, idx)
                    self._finish()
                self._count(len(chunk))
                return chunk
            safe = safe_len(buf, delim)
            if safe:
                chunk = _cut(buf, min(safe, size))
                self._count(len(chunk))
                return chunk
            await self._fill(size)

    def _read_rest(self, data: bytes, idx: int, size: int) -> bytes | None:
        """The chunk to return from ``data`` just read (``idx``: its delimiter).

        ``None`` when ``data`` went to the buffer instead, to be cut from there.
        """
        n = len(data)
        if idx == -1:
            if n <= size:
                safe = safe_len(data, self._delim)
                if safe == n:
                    if not n:
                        self._truncated()
                    self._count(n)
                    return data
                if safe:
                    self._buf += data[safe:]
                    self._count(safe)
                    return data[:safe]
        elif idx <= size:
            # The part ends in this chunk: hand out its end and leave
            # "--boundary..." for the MultipartReader, scanning only once.
            self._count(idx)
            self._at_eof = True
            if self._shared:
                self._buf += memoryview(data)[idx + 2 :]
            else:
                self._content.unread_data(data[idx + 2 :])
            return data[:idx]
        self._buf += data
        return None

    async def readline(self) -> bytes:
        """Read one line of the body, with its line ending (``b''`` at the end)."""
        if self._at_eof:
            return b""
        buf = self._buf
        limit = self._max_line_size
        while True:
            idx = buf.find(self._delim)
            end = idx if idx != -1 else safe_len(buf, self._delim)
            nl = buf.find(b"\n", 0, end)
            if nl != -1 or idx != -1:
                n = nl + 1 if nl != -1 else idx
                if n > limit:
                    raise LineTooLong("multipart body line", limit)
                line = _cut(buf, n)
                if nl == -1:
                    self._finish()
                self._count(len(line))
                return line
            if end > limit:
                raise LineTooLong("multipart body line", limit)
            await self._fill(self.chunk_size)

    async def release(self) -> None:
        """Read and drop the rest of the body, so the next part can be read."""
        while not self._at_eof:
            await self.read_chunk(_BULK_CHUNK)

    async def text(self, *, encoding: str | None = None) -> str:
        """The decoded body as text (charset from Content-Type, else UTF-8)."""
        data = await self.read(decode=True)
        return data.decode(encoding or self._peer_charset())

    async def json(self, *, encoding: str | None = None) -> object:
        """The body parsed as JSON; ``None`` for an empty body."""
        data = await self.read(decode=True)
        if not data:
            return None
        result: object = json.loads(data.decode(encoding or self._peer_charset()))
        return result

    async def form(self, *, encoding: str | None = None) -> list[tuple[str, str]] | None:
        """The body parsed as application/x-www-form-urlencoded; ``None`` if empty."""
        data = await self.read(decode=True)
        if not data:
            return None
        enc = encoding or self._peer_charset()
        return parse_qsl(data.rstrip().decode(enc), keep_blank_values=True, encoding=enc)

    def _peer_charset(self) -> str:
        """The part's charset (default UTF-8), checked: the peer chose it."""
        charset = self.get_charset(default="utf-8")
        try:
            text_codec = codecs.lookup(charset)._is_text_encoding
        except LookupError:
            text_codec = False
        if not text_codec:  # unknown, or bytes-to-bytes like zlib_codec, rot13
            raise BadHttpMessage(f"unknown charset in the part's Content-Type: {charset[:100]!r}")
        return charset

    def at_eof(self) -> bool:
        """Whether the whole body was read."""
        return self._at_eof

    def decode(self, data: bytes | bytearray) -> bytes:
        """Undo Content-Transfer-Encoding, then Content-Encoding, of ``data``.

        The decoded size is capped by the reader's ``max_size`` when one is set.
        """
        out = bytes(data)
        if CONTENT_TRANSFER_ENCODING in self.headers:
            out = decode_transfer(out, self.headers[CONTENT_TRANSFER_ENCODING])
        if CONTENT_ENCODING in self.headers:
            out = decode_content(out, self.headers[CONTENT_ENCODING], self._max_size)
        return out

    @overload
    def get_charset(self, default: str) -> str: ...

    @overload
    def get_charset(self, default: None = None) -> str | None: ...

    def get_charset(self, default: str | None = None) -> str | None:
        """The ``charset`` parameter of Content-Type, else ``default``."""
        ctype = parse_content_type(self.headers.get(CONTENT_TYPE))
        if ctype is None:
            return default
        return ctype[2].get("charset", default)

    @property
    def filename(self) -> str | None:
        """The file name from Content-Disposition, as sent (see README: sanitise it)."""
        names = self._names or self._plain_names()
        if names is None:
            return content_disposition_filename(self._content_disposition()[1], "filename")
        return names[1]

    @property
    def name(self) -> str | None:
        """The form field name from Content-Disposition (RFC 7578 section 4.2)."""
        names = self._names or self._plain_names()
        if names is None:
            return content_disposition_filename(self._content_disposition()[1], "name")
        return names[0]

    # -- internals ---------------------------------------------------------------

    def _content_disposition(self) -> tuple[str | None, dict[str, str]]:
        if self._disposition is None:
            self._disposition = parse_content_disposition(self.headers.get(CONTENT_DISPOSITION))
        return self._disposition

    def _plain_names(self) -> tuple[str | None, str | None] | None:
        """Fix (name, filename) when no parameter is RFC 8187/2231 (no "*").

        content_disposition_filename() then just looks the two up, so the
        answer never changes and nothing is warned; with a "*" parameter the
        properties ask it every time, as it may warn every time.
        """
        params = self._content_disposition()[1]
        if any("*" in key for key in params):
            return None
        self._names = (params.get("name"), params.get("filename"))
        return self._names

    def _check_form_data(self) -> None:
        # RFC 7578 section 4.2: "Each part MUST contain a Content-Disposition
        # header field where the disposition type is "form-data"."
        header = self.headers.get(CONTENT_DISPOSITION)
        if header is None:
            warnings.warn(
                BadContentDispositionHeader("multipart/form-data part has no Content-Disposition"),
                stacklevel=3,
            )
            return
        disptype = self._content_disposition()[0]
        if disptype is not None and disptype != "form-data":
            warnings.warn(
                BadContentDispositionHeader(
                    f"multipart/form-data part has disposition {disptype[:100]!r}"
                ),
                stacklevel=3,
            )

    def _count(self, n: int) -> None:
        self._read_bytes += n
        if self._max_size is not None and self._read_bytes > self._max_size:
            self._over_max_size()

    def _over_max_size(self) -> NoReturn:
        assert self._max_size is not None
        raise LineLimitExceededParserError(
            f"multipart part body is over {self._max_size} bytes", self._max_size
        )

    def _truncated(self) -> NoReturn:
        raise BadHttpMessage(
            "multipart body ended inside a part: no delimiter "
            f"{self._delim[:100]!r} after {self._read_bytes + len(self._buf)} bytes"
        )

    async def _fill(self, size: int) -> None:
        # A shared buffer is appended to straight from the underlying stream.
        data = await self._raw_read(max(size, self._dlen))
        if not data:
            self._truncated()
        self._buf += data

    def _finish(self) -> None:
        """The buffer starts with the delimiter: leave "--boundary..." to the reader."""
        buf = self._buf
        self._at_eof = True
        if self._shared:
            del buf[:2]
            return
        rest = bytes(buf[2:])
        buf.clear()
        self._content.unread_data(rest)


class _PartStream:
    """A body part seen as a stream: the content of a nested MultipartReader."""

    __slots__ = ("_part",)

    def __init__(self, part: BodyPartReader) -> None:
        self._part = part

    async def read(self, n: int = -1) -> bytes:
        return await self._part.read_chunk(n if n > 0 else _BULK_CHUNK)

    def at_eof(self) -> bool:
        return self._part.at_eof()


class MultipartResponseWrapper:
    """Wraps a response whose body is multipart; releases it after the last part.

    .. attribute:: resp
    .. attribute:: stream

       The :class:`MultipartReader` over the response body.
    """

    def __init__(self, resp: ResponseLike, stream: MultipartReader) -> None:
        self.resp = resp
        self.stream = stream

    def __aiter__(self) -> MultipartResponseWrapper:
        return self

    async def __anext__(self) -> BodyPartReader | MultipartReader:
        part = await self.next()
        if part is None:
            raise StopAsyncIteration
        return part

    def at_eof(self) -> bool:
        """Whether the response body is exhausted."""
        return self.resp.content.at_eof()

    async def next(self) -> BodyPartReader | MultipartReader | None:
        """The next part; the response is released once the body is done."""
        item = await self.stream.next()
        if self.stream.at_eof():
            await self.release()
        return item

    async def release(self) -> None:
        """Release the response (its connection goes back to the pool)."""
        result = self.resp.release()
        if inspect.isawaitable(result):
            await result


class MultipartReader:
    """Reader of a multipart body (RFC 2046, RFC 7578), one part at a time.

    ``headers`` must carry a ``multipart/*`` Content-Type with a boundary;
    ``content`` is the body stream. Limits (see README) are keyword arguments;
    going over one raises an :mod:`aiohttp_errors` exception.

    .. attribute:: headers
    """

    response_wrapper_cls: ClassVar[type[MultipartResponseWrapper]] = MultipartResponseWrapper
    multipart_reader_cls: ClassVar[type[MultipartReader] | None] = None
    part_reader_cls: ClassVar[type[BodyPartReader]] = BodyPartReader

    def __init__(
        self,
        headers: Mapping[str, str],
        content: ContentStream,
        *,
        max_part_header_size: int = DEFAULT_MAX_PART_HEADER_SIZE,
        max_part_headers: int = DEFAULT_MAX_PART_HEADERS,
        max_parts: int = DEFAULT_MAX_PARTS,
        max_part_size: int | None = DEFAULT_MAX_PART_SIZE,
        max_preamble_size: int = DEFAULT_MAX_PREAMBLE_SIZE,
        max_epilogue_size: int = DEFAULT_MAX_EPILOGUE_SIZE,
        max_nesting_depth: int = DEFAULT_MAX_NESTING_DEPTH,
        max_body_size: int | None = DEFAULT_MAX_BODY_SIZE,
    ) -> None:
        self.headers = _as_proxy(headers)
        self._max_part_header_size = max_part_header_size
        self._max_part_headers = max_part_headers
        self._max_parts = max_parts
        self._max_part_size = max_part_size
        self._max_preamble_size = max_preamble_size
        self._max_epilogue_size = max_epilogue_size
        self._max_nesting_depth = max_nesting_depth
        subtype, boundary = self._parse_content_type()
        self._boundary = ("--" + boundary).encode("ascii")
        self._boundary_crlf = self._boundary + b"\r\n"
        self._form_data = subtype == "form-data"
        if isinstance(content, _Source):
            # A nested body: its bytes are inside the outer body's budget.
            self._content = content
        elif max_body_size is None:
            self._content = _Source(content)
        else:
            self._content = _Source(_Budget(content, max_body_size))
        self._last_part: BodyPartReader | MultipartReader | None = None
        self._at_eof = False
        self._at_bof = True
        self._parts = 0
        self._depth = 0

    @classmethod
    def from_response(cls, response: ResponseLike) -> MultipartResponseWrapper:
        """Wrap a response with ``headers`` and ``content`` for reading its parts."""
        return cls.response_wrapper_cls(response, cls(response.headers, response.content))

    def __aiter__(self) -> MultipartReader:
        return self

    async def __anext__(self) -> BodyPartReader | MultipartReader:
        part = await self.next()
        if part is None:
            raise StopAsyncIteration
        return part

    def at_eof(self) -> bool:
        """Whether the closing boundary was read."""
        return self._at_eof

    async def next(self) -> BodyPartReader | MultipartReader | None:
        """The next part (a nested reader for multipart/* parts); ``None`` at the end.

        An unread previous part is released first.
        """
        if self._at_eof:
            return None
        last = self._last_part
        if last is not None:
            if not last.at_eof():
                await last.release()
            self._last_part = None
        buf = self._content._buf
        if not self._at_bof and buf.startswith(self._boundary_crlf):
            # The usual case, all in the buffer: "--boundary" CRLF.
            del buf[: len(self._boundary_crlf)]
        else:
            if self._at_bof:
                await self._content.skip_preamble(self._boundary, self._max_preamble_size)
                self._at_bof = False
            elif not await self._content.expect(self._boundary):
                # The part reader stopped at a delimiter, so this cannot
                # happen unless the stream was read behind our back.
                raise BadHttpMessage(f"expected boundary {self._boundary[:100]!r}")
            if await self._read_boundary_rest():
                return None
        self._parts += 1
        if self._parts > self._max_parts:
            raise BadHttpMessage(f"multipart body has more than {self._max_parts} parts")
        max_size = self._max_part_header_size
        max_count = self._max_part_headers
        form = parse_form_headers(buf, max_size=max_size, max_count=max_count)
        if form is not None:
            form_headers, names = form
            self._last_part = self._get_part_reader(form_headers, names)
            return self._last_part
        headers = parse_buffered_headers(buf, max_size=max_size, max_count=max_count)
        if headers is None:
            self._last_part = await self.fetch_next_part()
        else:
            self._last_part = self._get_part_reader(headers)
        return self._last_part

    async def release(self) -> None:
        """Read and drop all remaining parts."""
        while not self._at_eof:
            item = await self.next()
            if item is None:
                break
            await item.release()

    async def fetch_next_part(self) -> BodyPartReader | MultipartReader:
        """Read the next part's headers and return its reader."""
        headers = await read_part_headers(
            self._content, max_size=self._max_part_header_size, max_count=self._max_part_headers
        )
        return self._get_part_reader(headers)

    # -- internals ---------------------------------------------------------------

    def _get_part_reader(
        self,
        headers: Mapping[str, str],
        form_names: tuple[str, str | None] | None = None,
    ) -> BodyPartReader | MultipartReader:
        """The reader of a part with these headers.

        ``headers`` is a CIMultiDictProxy, or with ``form_names`` the dict of
        a browser-shaped block (parse_form_headers), whose disposition is
        form-data with these name and filename.
        """
        cls = self.part_reader_cls
        if form_names is not None and cls.__init__ is not BodyPartReader.__init__:
            # A subclass's __init__ may look its headers up in any case, as
            # in 2016: it gets what the general path gives.
            headers = _as_proxy(headers)
        part = cls(self._boundary, headers, self._content)
        part._max_size = self._max_part_size
        # parse_form_headers spells its keys as CONTENT_TYPE, so a plain
        # dict's get() finds them too.
        raw_ctype = headers.get(CONTENT_TYPE)
        ctype = (
            parse_content_type(raw_ctype)
            if raw_ctype is not None and "multipart" in raw_ctype.lower()
            else None
        )
        if ctype is not None and ctype[0] == "multipart":
            if self._depth >= self._max_nesting_depth:
                raise BadHttpMessage(
                    f"multipart parts nested more than {self._max_nesting_depth} deep"
                )
            reader_cls = self.multipart_reader_cls or type(self)
            nested = reader_cls(
                part.headers,
                _Source(_PartStream(part)),
                max_part_header_size=self._max_part_header_size,
                max_part_headers=self._max_part_headers,
                max_parts=self._max_parts,
                max_part_size=self._max_part_size,
                max_preamble_size=self._max_preamble_size,
                max_epilogue_size=self._max_epilogue_size,
                max_nesting_depth=self._max_nesting_depth,
            )
            nested._depth = self._depth + 1
            return nested
        if self._form_data:
            if form_names is None:
                part._check_form_data()
            else:
                # A form-data disposition, so nothing to warn about; the names
                # are fixed now, as _check_form_data() fixes the disposition.
                part._names = form_names
        return part

    def _parse_content_type(self) -> tuple[str, str]:
        """The multipart subtype and the boundary, checked (RFC 2046 section 5.1.1)."""
        raw = self.headers.get(CONTENT_TYPE)
        ctype = parse_content_type(raw)
        shown = repr((raw or "")[:100])
        if ctype is None or ctype[0] != "multipart":
            raise BadHttpMessage(f"multipart/* content type expected, got {shown}")
        boundary = ctype[2].get("boundary")
        if not boundary:
            raise BadHttpMessage(f"boundary missed for Content-Type: {shown}")
        # RFC 2046 section 5.1.1: 1 to 70 characters from a printable set.
        if len(boundary) > _MAX_BOUNDARY_LENGTH:
            raise BadHttpMessage(f"boundary {boundary[:100]!r} is too long (70 chars max)")
        if not (boundary.isascii() and boundary.isprintable()):
            raise BadHttpMessage(f"boundary {boundary[:100]!r} has characters RFC 2046 forbids")
        return ctype[1], boundary

    async def _read_boundary_rest(self) -> bool:
        """Check what follows "--boundary"; ``True`` for the closing delimiter."""
        # RFC 2046 section 5.1.1:
        #   delimiter       := CRLF dash-boundary
        #   encapsulation   := delimiter transport-padding CRLF body-part
        #   close-delimiter := delimiter "--"
        #   transport-padding := *LWSP-char
        buf = self._content._buf
        if buf[:2] == b"\r\n":  # the usual case, with no transport padding
            del buf[:2]
            return False
        line = await self._content.readline(self._max_part_header_size, "multipart boundary line")
        if line.endswith(b"\r\n"):
            body, eol = line[:-2], True
        elif line.endswith(b"\n"):
            raise BadHttpMessage(f"boundary line must end with CRLF: {line[:100]!r}")
        else:
            body, eol = line, False
        close = body.startswith(b"--")
        if close:
            body = body[2:]
        if body.strip(b" \t"):
            raise BadHttpMessage(
                f"unexpected bytes after boundary {self._boundary[:100]!r}: {line[:100]!r}"
            )
        if close:
            self._at_eof = True
            if eol:
                # The epilogue "is to be ignored" but is still bounded.
                await self._content.drain(self._max_epilogue_size, "epilogue")
            return True
        if not eol:
            raise BadHttpMessage(
                f"multipart body ended after boundary {self._boundary[:100]!r}: "
                "no part and no closing boundary"
            )
        return False

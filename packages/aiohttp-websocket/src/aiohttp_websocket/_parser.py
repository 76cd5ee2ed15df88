# Strategy: a 2016-style generator parser. ``StreamParser`` creates it with
# ``(out, buf)``, primes it, and sends it data; the parser takes whole
# chunks with ``yield from buf.readsome()``, slices frame headers and
# payloads out of the chunk it holds (one generator round trip per chunk,
# not per field: this halved the cost of small frames), and pushes
# ``WSMessage`` values into ``out``. All per-frame rules live in ``_frames`` as pure functions; this
# module holds only message state: the opcode of the message being
# reassembled, its collected parts and size, and, for text, the undecoded
# tail of an incomplete UTF-8 sequence: text payloads are read with
# ``readsome`` and decoded as they arrive, so invalid text fails at the
# first bad octet even inside one large frame.
# The size limit is checked against each frame header *before* its payload
# is read, so a peer can never make us buffer more than the limit, and the
# outcome does not depend on how TCP split the bytes.
from __future__ import annotations

import codecs
from collections.abc import Generator
from typing import Final, Protocol

from ._frames import (
    FIRST_BYTE,
    OP_BINARY,
    OP_CLOSE,
    OP_CONTINUATION,
    OP_PING,
    OP_TEXT,
    decode_extended_length,
    parse_close_payload,
    split_first_bytes,
)
from ._mask import websocket_mask
from ._models import WebSocketError, WSCloseCode, WSMessage, WSMsgType

__all__ = ("DEFAULT_MAX_MSG_SIZE", "WebSocketParser")

#: Largest message (all fragments together) accepted by default: 4 MiB, the
#: default of aiohttp 3.x's ``max_msg_size`` (2016 had no limit at all, see
#: aiohttp#1952). ``0`` disables the limit.
DEFAULT_MAX_MSG_SIZE: Final = 4 * 1024 * 1024

_TEXT: Final = WSMsgType.text
_BINARY: Final = WSMsgType.binary
_PING: Final = WSMsgType.ping
_PONG: Final = WSMsgType.pong
_CLOSE: Final = WSMsgType.close


class _Output(Protocol):
    """Where messages go: a ``DataQueue`` in the 2016 design."""

    def feed_data(self, data: WSMessage, size: int, /) -> None: ...


class _Buffer(Protocol):
    """The part of ``aiohttp_parsers.ParserBuffer`` the parser uses."""

    def readsome(self, size: int | None = None, /) -> Generator[None, bytes, bytes]: ...


def _invalid_text(exc: UnicodeDecodeError, offset: int) -> WebSocketError:
    bad = bytes(exc.object[exc.start : exc.end][:100])
    return WebSocketError(
        WSCloseCode.invalid_text,
        f"text message is not valid UTF-8 ({exc.reason}) at byte {offset + exc.start}: {bad!r}",
    )


def _too_big(size: int, limit: int) -> WebSocketError:
    return WebSocketError(
        WSCloseCode.message_too_big,
        f"message of at least {size} bytes exceeds the limit of {limit} bytes",
    )


def WebSocketParser(  # noqa: N802 -- the 2016 name of a generator function
    out: _Output,
    buf: _Buffer,
    *,
    max_msg_size: int = DEFAULT_MAX_MSG_SIZE,
    masked: bool | None = None,
) -> Generator[None, bytes, None]:
    """Parse WebSocket frames from *buf* into :class:`WSMessage` values on *out*.

    Fragmented messages are reassembled (control frames may arrive between
    fragments and are delivered at once); text is validated as UTF-8
    fragment by fragment. Every protocol violation raises
    :class:`WebSocketError` with the close code to answer with.

    :param max_msg_size: largest message in bytes (all fragments together);
        a frame that would exceed it raises ``WebSocketError`` with
        ``message_too_big`` before its payload is read. ``0`` means no limit.
    :param masked: ``True`` for a server (RFC 6455 5.1: "The server MUST
        close the connection upon receiving a frame that is not masked"),
        ``False`` for a client ("A client MUST close a connection if it
        detects a masked frame"), ``None`` to accept both as in 2016.
    """
    first_byte = FIRST_BYTE
    new = tuple.__new__
    readsome = buf.readsome
    feed = out.feed_data
    mask = websocket_mask
    utf8_decode = codecs.utf_8_decode
    # Opcode of the fragmented message in progress, or -1.
    msg_opcode = -1
    msg_size = 0
    data_buf = bytearray()
    text_buf = bytearray()
    # The undecoded tail of a text message: an incomplete UTF-8 sequence.
    pending = b""
    # How many bytes of the text message are decoded (for error messages).
    decoded = 0

    # Bytes taken from *buf* and parsed in place from ``pos``: most frames
    # (headers, small payloads) are sliced out of the chunk that carried
    # them, with no generator round trip per field. The bytes after
    # ``held[pos:]`` are still in *buf*, so the order is never lost.
    held = b""
    pos = 0

    while True:
        while len(held) - pos < 2:
            more = yield from readsome()
            held = held[pos:] + more if pos < len(held) else more
            pos = 0
        b0 = held[pos]
        b1 = held[pos + 1]
        first = first_byte[b0]
        length = b1 & 0x7F
        if first is None or (length > 125 and b0 & 0x08):
            # Invalid: let the pure function say exactly why.
            split_first_bytes(b0, b1)
            raise AssertionError("unreachable: split_first_bytes accepted an invalid header")
        fin, opcode = first
        has_mask = b1 > 0x7F
        if masked is not None and has_mask is not masked:
            raise WebSocketError(
                WSCloseCode.protocol_error,
                "received an unmasked frame from a client"
                if masked
                else "received a masked frame from a server",
            )
        if length > 125:
            ext = 4 if length == 126 else 10
            while len(held) - pos < ext:
                more = yield from readsome()
                held = held[pos:] + more if pos < len(held) else more
                pos = 0
            length = decode_extended_length(held[pos + 2 : pos + ext])
            pos += ext
        else:
            pos += 2

        if opcode < OP_CLOSE:
            # RFC 6455 5.4: "a fragmented message consists of a single frame
            # with the FIN bit clear and an opcode other than 0, followed by
            # zero or more frames with the FIN bit clear and the opcode set
            # to 0, and terminated by a single frame with the FIN bit set and
            # an opcode of 0."
            if opcode == OP_CONTINUATION:
                if msg_opcode < 0:
                    raise WebSocketError(
                        WSCloseCode.protocol_error,
                        "continuation frame without a message in progress",
                    )
            elif msg_opcode >= 0:
                raise WebSocketError(
                    WSCloseCode.protocol_error,
                    f"new message (opcode 0x{opcode:x}) before the fragmented "
                    "message in progress was finished",
                )
            # A new message starts from zero; only continuations add up.
            size = msg_size + length if opcode == OP_CONTINUATION else length
            if max_msg_size and size > max_msg_size:
                raise _too_big(size, max_msg_size)

        if has_mask:
            while len(held) - pos < 4:
                more = yield from readsome()
                held = held[pos:] + more if pos < len(held) else more
                pos = 0
            key = held[pos : pos + 4]
            pos += 4
        else:
            key = b""

        if opcode == OP_TEXT and fin and len(held) - pos >= length:
            # The common case, a whole one-frame text message already in
            # hand: one slice, one unmask, one decode, no bookkeeping.
            piece = held[pos : pos + length]
            pos += length
            if has_mask:
                piece = mask(key, piece)
            try:
                text = piece.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _invalid_text(exc, 0) from None
            feed(new(WSMessage, (_TEXT, text, "")), len(text))
            continue

        if opcode == OP_TEXT or (opcode == OP_CONTINUATION and msg_opcode == OP_TEXT):
            # Text is decoded as it arrives, piece by piece, so invalid UTF-8
            # fails the connection at the first bad octet (RFC 6455 8.1:
            # "When an endpoint is to interpret a byte stream as UTF-8 but
            # finds that the byte stream is not, in fact, a valid UTF-8
            # stream, that endpoint MUST _Fail the WebSocket Connection_"),
            # not after a large frame has been buffered.
            # The raw bytes of a text message that arrives in more than one
            # piece are kept in one bytearray and decoded once at the end
            # (they are valid by then): a list of decoded pieces would cost
            # ~50 bytes per piece, a 50x amplification for a peer that sends
            # one-byte fragments.
            if opcode == OP_TEXT:
                if text_buf:
                    text_buf.clear()
                pending = b""
                msg_size = 0
                decoded = 0
            msg_size += length
            remaining = length
            offset = 0
            whole: str | None = None
            first_piece = True
            while True:
                if remaining:
                    got = len(held) - pos
                    if got:
                        got = min(got, remaining)
                        piece = held[pos : pos + got]
                        pos += got
                    else:
                        piece = yield from readsome(remaining)
                        got = len(piece)
                    if has_mask:
                        shift = offset & 3
                        piece = mask(key[shift:] + key[:shift] if shift else key, piece)
                    offset += got
                    remaining -= got
                else:
                    piece = b""
                chunk = pending + piece if pending else piece
                try:
                    text, used = utf8_decode(chunk, "strict", fin and not remaining)
                except UnicodeDecodeError as exc:
                    raise _invalid_text(exc, decoded) from None
                decoded += used
                pending = chunk[used:] if used < len(chunk) else b""
                if first_piece and not remaining and fin and opcode == OP_TEXT:
                    # The common case: a one-frame message read in one piece.
                    whole = text
                else:
                    text_buf += piece
                if not remaining:
                    break
                first_piece = False
            if fin:
                if whole is None:
                    whole = text_buf.decode("utf-8")
                    text_buf.clear()
                msg_opcode = -1
                feed(new(WSMessage, (_TEXT, whole, "")), len(whole))
            else:
                msg_opcode = OP_TEXT
            continue

        if not length:
            payload = b""
        else:
            if len(held) - pos >= length:
                raw: bytes | bytearray | memoryview = (
                    memoryview(held)[pos : pos + length] if has_mask else held[pos : pos + length]
                )
                pos += length
            else:
                # A payload cut across chunks is gathered in one bytearray
                # (linear however many pieces), bounded by the size check.
                acc = bytearray(memoryview(held)[pos:])
                held = b""
                pos = 0
                while len(acc) < length:
                    acc += yield from readsome(length - len(acc))
                raw = acc
            payload = mask(key, raw) if has_mask else bytes(raw)

        if opcode == OP_BINARY:
            if fin:
                feed(new(WSMessage, (_BINARY, payload, "")), len(payload))
            else:
                msg_opcode = OP_BINARY
                msg_size = length
                # One growing bytearray, not a list of fragments: no
                # per-fragment overhead however small the fragments are.
                data_buf[:] = payload
        elif opcode == OP_CONTINUATION:
            msg_size += length
            data_buf += payload
            if fin:
                data = bytes(data_buf)
                data_buf.clear()
                msg_opcode = -1
                feed(new(WSMessage, (_BINARY, data, "")), len(data))
        elif opcode == OP_PING:
            feed(new(WSMessage, (_PING, payload, "")), len(payload))
        elif opcode == OP_CLOSE:
            code, reason = parse_close_payload(payload)
            feed(new(WSMessage, (_CLOSE, code, reason)), 0)
        else:
            feed(new(WSMessage, (_PONG, payload, "")), len(payload))

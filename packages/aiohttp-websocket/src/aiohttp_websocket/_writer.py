# Strategy: frames are built in one piece per ``transport.write`` call where
# that is cheap, so a frame is never interleaved with another writer's bytes;
# a large unmasked payload is written after its header in a second call
# instead of being copied into one buffer. Client frames (``use_mask=True``)
# get a fresh 32-bit masking key per frame from a ``random.Random`` that is
# ``SystemRandom`` (the OS CSPRNG) unless the caller passes another one:
# RFC 6455 5.3 says "The masking key needs to be unpredictable".
from __future__ import annotations

import os
import random as _random
from typing import Final, Protocol

from ._frames import (
    MAX_CONTROL_PAYLOAD,
    OP_BINARY,
    OP_CLOSE,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    close_payload,
    encode_header,
)
from ._speedups import websocket_mask

__all__ = ("WebSocketWriter",)

# Below this many payload bytes, header and payload are joined into one write;
# above it the copy costs more than a second ``write`` call (2016 used 16 KiB).
_JOIN_LIMIT: Final = 16 * 1024

_SYSTEM_RANDOM: Final = _random.SystemRandom()

# Headers of unmasked final frames with a 7-bit length, built once: a small
# server frame is then one tuple index, one concatenation and one write.
_TEXT_HEADS: Final = tuple(encode_header(OP_TEXT, n) for n in range(126))
_BINARY_HEADS: Final = tuple(encode_header(OP_BINARY, n) for n in range(126))

# With the default source, keys are cut from one os.urandom() call per this
# many bytes (256 keys) instead of one system call per frame: the keys are
# just as unpredictable, and small client frames get ~30% cheaper.
_KEY_POOL_SIZE: Final = 1024


class _Transport(Protocol):
    """Anything with ``write(bytes)``: an ``asyncio.Transport`` or a ``StreamWriter``."""

    def write(self, data: bytes, /) -> None: ...


def _to_bytes(message: str | bytes | bytearray | memoryview) -> bytes:
    if isinstance(message, str):
        return message.encode()
    return bytes(message)


class WebSocketWriter:
    """Write RFC 6455 frames to a transport.

    :param transport: where frames are written (``write(bytes)``).
    :param use_mask: mask every frame, as a client must (RFC 6455 5.3).
    :param random: the source of masking keys; the OS CSPRNG by default.

    .. attribute:: writer

       The transport (2016 name).
    """

    def __init__(
        self,
        transport: _Transport,
        *,
        use_mask: bool = False,
        random: _random.Random = _SYSTEM_RANDOM,
    ) -> None:
        self.writer = transport
        self.use_mask = use_mask
        self._random = random
        self._key_pool = b""
        self._key_pos = 0

    def _new_key(self) -> bytes:
        if self._random is not _SYSTEM_RANDOM:
            return self._random.getrandbits(32).to_bytes(4, "big")
        pos = self._key_pos
        if pos >= len(self._key_pool):
            self._key_pool = os.urandom(_KEY_POOL_SIZE)
            pos = 0
        self._key_pos = pos + 4
        return self._key_pool[pos : pos + 4]

    def _send_frame(self, payload: bytes, opcode: int) -> None:
        length = len(payload)
        if self.use_mask:
            key = self._new_key()
            header = encode_header(opcode, length, masked=True)
            if length > _JOIN_LIMIT:
                self.writer.write(header + key)
                self.writer.write(websocket_mask(key, payload))
            else:
                self.writer.write(header + key + websocket_mask(key, payload))
            return
        header = encode_header(opcode, length)
        if length > _JOIN_LIMIT:
            self.writer.write(header)
            self.writer.write(payload)
        else:
            self.writer.write(header + payload)

    def send(self, message: str | bytes | bytearray | memoryview, binary: bool = False) -> None:
        """Send a text message (``str`` or UTF-8 bytes) or, if *binary*, a binary one."""
        # str.encode() with no argument is UTF-8, without the argument parsing.
        payload = message.encode() if isinstance(message, str) else bytes(message)
        n = len(payload)
        if n < 126 and not self.use_mask:
            self.writer.write((_BINARY_HEADS if binary else _TEXT_HEADS)[n] + payload)
            return
        self._send_frame(payload, OP_BINARY if binary else OP_TEXT)

    def ping(self, message: str | bytes = b"") -> None:
        """Send a ping; *message* must be at most 125 bytes (RFC 6455 5.5)."""
        self._send_frame(_control_payload(message, "ping"), OP_PING)

    def pong(self, message: str | bytes = b"") -> None:
        """Send a pong; *message* must be at most 125 bytes (RFC 6455 5.5)."""
        self._send_frame(_control_payload(message, "pong"), OP_PONG)

    def close(self, code: int = 1000, message: str | bytes = b"") -> None:
        """Send a close frame with *code* and a reason of at most 123 UTF-8 bytes."""
        self._send_frame(close_payload(code, _to_bytes(message)), OP_CLOSE)


def _control_payload(message: str | bytes, what: str) -> bytes:
    payload = _to_bytes(message)
    if len(payload) > MAX_CONTROL_PAYLOAD:
        raise ValueError(
            f"{what} payload is {len(payload)} bytes; control frames carry at most "
            f"{MAX_CONTROL_PAYLOAD} (RFC 6455 5.5)"
        )
    return payload

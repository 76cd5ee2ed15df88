# Strategy: the RFC 6455 section 5.2 base framing as pure functions over
# bytes, with no I/O and no state, so the generator parser, the writer and
# the tests share one definition of every rule. Each check quotes the RFC
# sentence it enforces and raises WebSocketError with the close code the RFC
# asks for. The frame layout:
#
#   0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7  (first two octets)
#   F R R R opcode  M payload len    then 0, 2 or 8 octets of extended
#   I S S S (4)     A     (7)        length, then 0 or 4 octets of masking
#   N V V V         S                key, then the payload.
#     1 2 3         K
from __future__ import annotations

import struct
from typing import Final

from ._mask import websocket_mask
from ._models import WebSocketError, WSCloseCode

__all__ = (
    "OP_CONTINUATION",
    "OP_TEXT",
    "OP_BINARY",
    "OP_CLOSE",
    "OP_PING",
    "OP_PONG",
    "MAX_CONTROL_PAYLOAD",
    "MAX_FRAME_PAYLOAD",
    "split_first_bytes",
    "FIRST_BYTE",
    "extended_length_size",
    "decode_extended_length",
    "encode_header",
    "encode_frame",
    "close_payload",
    "parse_close_payload",
    "is_valid_close_code",
)

OP_CONTINUATION: Final = 0x0
OP_TEXT: Final = 0x1
OP_BINARY: Final = 0x2
OP_CLOSE: Final = 0x8
OP_PING: Final = 0x9
OP_PONG: Final = 0xA

_KNOWN_OPCODES: Final = frozenset((OP_CONTINUATION, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG))

# RFC 6455 5.5: "All control frames MUST have a payload length of 125 bytes
# or less and MUST NOT be fragmented."
MAX_CONTROL_PAYLOAD: Final = 125

# RFC 6455 5.2: "the most significant bit MUST be 0" of the 64-bit length.
MAX_FRAME_PAYLOAD: Final = (1 << 63) - 1

_PACK_HEAD: Final = struct.Struct("!BB").pack
_PACK_HEAD16: Final = struct.Struct("!BBH").pack
_PACK_HEAD64: Final = struct.Struct("!BBQ").pack
_UNPACK_16: Final = struct.Struct("!H").unpack
_UNPACK_64: Final = struct.Struct("!Q").unpack
_PACK_CODE: Final = struct.Struct("!H").pack


def _protocol_error(message: str) -> WebSocketError:
    return WebSocketError(WSCloseCode.protocol_error, message)


def split_first_bytes(b0: int, b1: int) -> tuple[bool, int, bool, int]:
    """Validate the first two octets of a frame.

    Return ``(fin, opcode, masked, length7)`` where *length7* is the 7-bit
    length field (126 and 127 announce an extended length).
    """
    # RFC 6455 5.2: "RSV1, RSV2, RSV3: 1 bit each. MUST be 0 unless an
    # extension is negotiated that defines meanings for non-zero values. If a
    # nonzero value is received and none of the negotiated extensions defines
    # the meaning of such a nonzero value, the receiving endpoint MUST _Fail
    # the WebSocket Connection_."
    if b0 & 0x70:
        raise _protocol_error(f"reserved bits set in frame header: 0x{b0:02x}")
    opcode = b0 & 0x0F
    # RFC 6455 5.2: "If an unknown opcode is received, the receiving endpoint
    # MUST _Fail the WebSocket Connection_."
    if opcode not in _KNOWN_OPCODES:
        raise _protocol_error(f"reserved opcode 0x{opcode:x}")
    fin = bool(b0 & 0x80)
    length = b1 & 0x7F
    if opcode & 0x8:
        # RFC 6455 5.5: control frames "MUST NOT be fragmented".
        if not fin:
            raise _protocol_error(f"fragmented control frame (opcode 0x{opcode:x})")
        # RFC 6455 5.5: "All control frames MUST have a payload length of
        # 125 bytes or less".
        if length > MAX_CONTROL_PAYLOAD:
            raise _protocol_error(
                f"control frame (opcode 0x{opcode:x}) payload longer than "
                f"{MAX_CONTROL_PAYLOAD} bytes"
            )
    return fin, opcode, bool(b1 & 0x80), length


def _first_byte_entry(b0: int) -> tuple[bool, int] | None:
    try:
        fin, opcode, _, _ = split_first_bytes(b0, 0)
    except WebSocketError:
        return None
    return fin, opcode


#: ``FIRST_BYTE[b0]`` is ``(fin, opcode)`` for a first octet that passes every
#: rule of :func:`split_first_bytes`, else ``None``: the parser's fast path
#: (one tuple index instead of a call); it calls ``split_first_bytes`` only to
#: raise the precise error.
FIRST_BYTE: Final[tuple[tuple[bool, int] | None, ...]] = tuple(
    _first_byte_entry(b0) for b0 in range(256)
)


def extended_length_size(length7: int) -> int:
    """How many octets of extended length follow a 7-bit length field."""
    if length7 < 126:
        return 0
    return 2 if length7 == 126 else 8


def decode_extended_length(data: bytes | bytearray) -> int:
    """Decode a 2- or 8-octet extended payload length.

    RFC 6455 5.2: "in all cases, the minimal number of bytes MUST be used to
    encode the length", and of the 64-bit form "the most significant bit
    MUST be 0".
    """
    if len(data) == 2:
        (length,) = _UNPACK_16(data)
        if length < 126:
            raise _protocol_error(f"non-minimal 16-bit payload length {length}")
        return int(length)
    (length,) = _UNPACK_64(data)
    if length > MAX_FRAME_PAYLOAD:
        raise _protocol_error("64-bit payload length with the most significant bit set")
    if length <= 0xFFFF:
        raise _protocol_error(f"non-minimal 64-bit payload length {length}")
    return int(length)


def encode_header(opcode: int, length: int, *, fin: bool = True, masked: bool = False) -> bytes:
    """The first 2, 4 or 10 octets of a frame (without the masking key).

    RFC 6455 5.2: the length is 7 bits if 0-125, else 126 and 16 bits if it
    fits, else 127 and 64 bits ("the minimal number of bytes MUST be used").
    """
    b0 = (0x80 if fin else 0) | (opcode & 0x0F)
    mask_bit = 0x80 if masked else 0
    if length < 126:
        return _PACK_HEAD(b0, mask_bit | length)
    if length <= 0xFFFF:
        return _PACK_HEAD16(b0, mask_bit | 126, length)
    if length > MAX_FRAME_PAYLOAD:
        raise ValueError(f"payload of {length} bytes does not fit in a frame")
    return _PACK_HEAD64(b0, mask_bit | 127, length)


def encode_frame(
    opcode: int,
    payload: bytes | bytearray | memoryview,
    *,
    fin: bool = True,
    mask: bytes | None = None,
    rsv: int = 0,
) -> bytes:
    """Build one frame: header, optional masking key, (masked) payload.

    *rsv* sets the three reserved bits (an int 0-7); only tests of peers
    need it.
    """
    header = encode_header(opcode, len(payload), fin=fin, masked=mask is not None)
    if rsv:
        header = bytes((header[0] | ((rsv & 0x7) << 4),)) + header[1:]
    if mask is None:
        return header + payload
    return header + mask + websocket_mask(mask, payload)


def is_valid_close_code(code: int) -> bool:
    """Whether *code* may appear in a received close frame.

    RFC 6455 7.4.1 defines 1000-1003 and 1007-1011, IANA registered
    1012-1014; 1004 is reserved and 1005, 1006 and 1015 "MUST NOT be set as
    a status code in a Close control frame by an endpoint". 3000-3999 are for
    libraries and frameworks (IANA), 4000-4999 for private use. Everything
    else (0-999, 1016-2999, 5000 and up) is not a valid status code.
    """
    return 1000 <= code <= 1003 or 1007 <= code <= 1014 or 3000 <= code <= 4999


def close_payload(code: int, reason: bytes = b"") -> bytes:
    """The payload of a close frame: 2-octet code then the UTF-8 reason."""
    # RFC 6455 7.4.1: 1005, 1006 and 1015 "MUST NOT be set as a status code
    # in a Close control frame by an endpoint"; other codes outside the
    # defined ranges would make a conforming peer fail the connection.
    if not is_valid_close_code(code):
        raise ValueError(
            f"close code {code} may not be sent: use 1000-1003, 1007-1014 or 3000-4999"
        )
    payload = _PACK_CODE(code) + reason
    if len(payload) > MAX_CONTROL_PAYLOAD:
        raise ValueError(
            f"close reason is {len(reason)} bytes; at most "
            f"{MAX_CONTROL_PAYLOAD - 2} fit in a control frame"
        )
    return payload


def parse_close_payload(payload: bytes | bytearray) -> tuple[int, str]:
    """Validate a received close payload; return ``(code, reason)``.

    An empty payload gives ``(0, "")`` as in 2016 (RFC 6455 calls this
    "no status code", 1005).
    """
    if not payload:
        return 0, ""
    # RFC 6455 5.5.1: "If there is a body, the first two bytes of the body
    # MUST be a 2-byte unsigned integer".
    if len(payload) == 1:
        raise _protocol_error("close frame payload of 1 byte: no room for a status code")
    (code,) = _UNPACK_16(payload[:2])
    if not is_valid_close_code(code):
        raise _protocol_error(f"invalid close code {code}")
    # RFC 6455 5.5.1: the reason "is not guaranteed to be human readable"
    # but is UTF-8: "the data is encoded in UTF-8".
    try:
        reason = bytes(payload[2:]).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebSocketError(
            WSCloseCode.invalid_text, f"close reason is not valid UTF-8: {exc.reason}"
        ) from exc
    return int(code), reason

"""Pure frame functions: masking, headers, lengths, close payloads."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings, strategies as st

from aiohttp_websocket import WebSocketError, WSCloseCode
from aiohttp_websocket._frames import (
    close_payload,
    decode_extended_length,
    encode_frame,
    encode_header,
    is_valid_close_code,
    parse_close_payload,
    split_first_bytes,
)
from aiohttp_websocket._mask import websocket_mask


def reference_mask(mask: bytes, data: bytes) -> bytes:
    # RFC 6455 5.3, literally: j = i MOD 4; transformed-octet-i =
    # original-octet-i XOR masking-key-octet-j.
    return bytes(b ^ mask[i % 4] for i, b in enumerate(data))


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4, 5, 125, 1023, 1024, 1025, 4099, 65536])
def test_mask_matches_the_rfc_definition(size: int) -> None:
    mask = os.urandom(4)
    data = os.urandom(size)
    masked = websocket_mask(mask, data)
    assert masked == reference_mask(mask, data)
    assert websocket_mask(mask, masked) == data
    assert type(masked) is bytes


@settings(max_examples=100, deadline=None)
@given(mask=st.binary(min_size=4, max_size=4), data=st.binary(max_size=3000))
def test_mask_property(mask: bytes, data: bytes) -> None:
    assert websocket_mask(mask, data) == reference_mask(mask, data)


def test_mask_accepts_bytearray_and_memoryview() -> None:
    mask = b"\x01\x02\x03\x04"
    assert websocket_mask(mask, bytearray(b"\x00" * 6)) == b"\x01\x02\x03\x04\x01\x02"
    assert websocket_mask(mask, memoryview(b"\x00" * 2000))[:4] == mask


def test_mask_key_must_be_4_bytes() -> None:
    with pytest.raises(ValueError, match="4 bytes"):
        websocket_mask(b"abc", b"data")


def test_rfc_example_frames() -> None:
    # RFC 6455 5.7 examples.
    assert encode_frame(0x1, b"Hello") == bytes.fromhex("810548656c6c6f")
    assert encode_frame(0x1, b"Hello", mask=bytes.fromhex("37fa213d")) == bytes.fromhex(
        "818537fa213d7f9f4d5158"
    )
    assert encode_frame(0x1, b"Hel", fin=False) == bytes.fromhex("010348656c")
    assert encode_frame(0x0, b"lo") == bytes.fromhex("80026c6f")
    assert encode_frame(0x9, b"Hello") == bytes.fromhex("890548656c6c6f")
    assert encode_frame(0x2, b"\x00" * 256)[:4] == bytes.fromhex("827e0100")
    assert encode_frame(0x2, b"\x00" * 65536)[:10] == bytes.fromhex("827f0000000000010000")


@pytest.mark.parametrize(
    "length,header",
    [
        (0, "8200"),
        (125, "827d"),
        (126, "827e007e"),
        (65535, "827effff"),
        (65536, "827f0000000000010000"),
        ((1 << 63) - 1, "827f7fffffffffffffff"),
    ],
)
def test_header_length_encodings(length: int, header: str) -> None:
    assert encode_header(0x2, length) == bytes.fromhex(header)
    b0, b1 = bytes.fromhex(header)[:2]
    fin, opcode, masked, length7 = split_first_bytes(b0, b1)
    assert (fin, opcode, masked) == (True, 0x2, False)
    if length7 > 125:
        assert decode_extended_length(bytes.fromhex(header)[2:]) == length
    else:
        assert length7 == length


def test_header_too_long_payload() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        encode_header(0x2, 1 << 63)


def test_header_mask_bit_and_fin() -> None:
    assert encode_header(0x1, 5, masked=True, fin=False) == bytes([0x01, 0x85])


def test_split_first_bytes_rules() -> None:
    assert split_first_bytes(0x81, 0x85) == (True, 0x1, True, 5)
    assert split_first_bytes(0x00, 0x7E) == (False, 0x0, False, 126)
    for b0, what in [
        (0xC1, "reserved bits"),
        (0x83, "reserved opcode"),
        (0x09, "fragmented control"),
    ]:
        with pytest.raises(WebSocketError, match=what) as info:
            split_first_bytes(b0, 0)
        assert info.value.code == WSCloseCode.protocol_error
    with pytest.raises(WebSocketError, match="125"):
        split_first_bytes(0x89, 126)


def test_close_code_table() -> None:
    valid = {c for c in range(70000) if is_valid_close_code(c)}
    expected = set(range(1000, 1004)) | set(range(1007, 1015)) | set(range(3000, 5000))
    assert valid == expected


def test_close_payload_roundtrip() -> None:
    assert close_payload(1000) == b"\x03\xe8"
    assert parse_close_payload(close_payload(4001, "ça".encode())) == (4001, "ça")
    assert parse_close_payload(b"") == (0, "")


def test_close_payload_limits() -> None:
    assert len(close_payload(1000, b"x" * 123)) == 125
    with pytest.raises(ValueError, match="at most 123"):
        close_payload(1000, b"x" * 124)
    for code in (0, 999, 1005, 1006, 1015, 2000, 5000, 70000):
        with pytest.raises(ValueError, match=f"close code {code} may not be sent"):
            close_payload(code)

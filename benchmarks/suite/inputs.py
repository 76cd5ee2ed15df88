"""Deterministic inputs and expected results for workloads W1-W6.

Standard library only: this module is imported by workers in every
environment (ours, the peers', aiohttp 3.x's). Everything is generated from
fixed seeds, before any timing starts, and is identical in every process.
"""

from __future__ import annotations

import random
import struct
from dataclasses import dataclass, field

PIECE = 64 * 1024  # feed size: what one socket read returns


def pieces(data: bytes, size: int = PIECE) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@dataclass
class Scale:
    """Workload sizes; ``quick`` shrinks everything ~10x."""

    requests: int = 20_000
    chunked_mib: int = 8
    small_frames: int = 20_000
    large_frames: int = 200
    file_mib: int = 8
    lines: int = 1_000_000

    @classmethod
    def quick(cls) -> Scale:
        return cls(2_000, 1, 2_000, 20, 1, 100_000)


# -- W1: pipelined GET requests ---------------------------------------------------


def w1_requests(n: int) -> tuple[list[bytes], list[tuple[str, str, int, str]]]:
    """``n`` browser-like GETs (10 header fields each) in 64 KiB pieces.

    Expected per request: (method, target, number of header fields, Cookie).
    """
    out = []
    expected = []
    for i in range(n):
        target = f"/static/app/{i % 97}/page-{i}.html?session=abc{i}&lang=en"
        cookie = f"session=abc{i}; theme=dark; consent=yes"
        out.append(
            (
                f"GET {target} HTTP/1.1\r\n"
                "Host: www.example.com\r\n"
                "Connection: keep-alive\r\n"
                "Cache-Control: max-age=0\r\n"
                "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, "
                "like Gecko) Chrome/120.0.0.0 Safari/537.36\r\n"
                "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,"
                "image/avif,image/webp,*/*;q=0.8\r\n"
                "Sec-Fetch-Site: same-origin\r\n"
                "Sec-Fetch-Mode: navigate\r\n"
                "Referer: https://www.example.com/index.html\r\n"
                "Accept-Encoding: gzip, deflate, br\r\n"
                f"Cookie: {cookie}\r\n"
                "\r\n"
            ).encode()
        )
        expected.append(("GET", target, 10, cookie))
    return pieces(b"".join(out)), expected


# -- W2: chunked response ---------------------------------------------------------


def w2_chunked(mib: int, chunk: int = 4096) -> tuple[list[bytes], bytes]:
    """A response with a ``mib`` MiB body in ``chunk``-byte chunks; expected body."""
    body = random.Random(2).randbytes(mib * 1024 * 1024)
    parts = [
        b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    ]
    for i in range(0, len(body), chunk):
        piece = body[i : i + chunk]
        parts.append(b"%x\r\n%b\r\n" % (len(piece), piece))
    parts.append(b"0\r\n\r\n")
    return pieces(b"".join(parts)), body


# -- W3/W4: WebSocket frames ------------------------------------------------------


def _mask(key: bytes, data: bytes) -> bytes:
    n = len(data)
    k = int.from_bytes((key * (n // 4 + 1))[:n], "little")
    return (int.from_bytes(data, "little") ^ k).to_bytes(n, "little")


def encode_frame(opcode: int, payload: bytes, key: bytes | None) -> bytes:
    """One final RFC 6455 frame (a reference encoder, independent of ours)."""
    n = len(payload)
    b1 = 0x80 if key is not None else 0
    if n < 126:
        head = struct.pack("!BB", 0x80 | opcode, b1 | n)
    elif n < 65536:
        head = struct.pack("!BBH", 0x80 | opcode, b1 | 126, n)
    else:
        head = struct.pack("!BBQ", 0x80 | opcode, b1 | 127, n)
    if key is None:
        return head + payload
    return head + key + _mask(key, payload)


def decode_frames(data: bytes) -> list[tuple[int, bytes]]:
    """(opcode, unmasked payload) of every frame in ``data`` (checks W4 output)."""
    out = []
    pos = 0
    while pos < len(data):
        b0, b1 = data[pos], data[pos + 1]
        n = b1 & 0x7F
        pos += 2
        if n == 126:
            (n,) = struct.unpack_from("!H", data, pos)
            pos += 2
        elif n == 127:
            (n,) = struct.unpack_from("!Q", data, pos)
            pos += 8
        key = None
        if b1 & 0x80:
            key = data[pos : pos + 4]
            pos += 4
        payload = data[pos : pos + n]
        pos += n
        out.append((b0 & 0x0F, _mask(key, payload) if key else payload))
    return out


@dataclass
class WsMessages:
    texts: list[str] = field(default_factory=list)  # 125 bytes of UTF-8 each
    blobs: list[bytes] = field(default_factory=list)  # 64 KiB each


def ws_messages(small: int, large: int) -> WsMessages:
    rnd = random.Random(3)
    alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789éü€"
    msgs = WsMessages()
    for _ in range(small):
        chars: list[str] = []
        size = 0
        while True:
            c = rnd.choice(alphabet)
            w = len(c.encode())
            if size + w > 125:
                break
            chars.append(c)
            size += w
        chars.append("x" * (125 - size))
        msgs.texts.append("".join(chars))
    msgs.blobs = [rnd.randbytes(64 * 1024) for _ in range(large)]
    return msgs


def w3_stream(msgs: WsMessages) -> list[bytes]:
    """Masked client frames of every message (texts, then blobs), in 64 KiB pieces."""
    rnd = random.Random(4)
    frames = [encode_frame(1, t.encode(), rnd.randbytes(4)) for t in msgs.texts]
    frames += [encode_frame(2, b, rnd.randbytes(4)) for b in msgs.blobs]
    return pieces(b"".join(frames))


# -- W5: multipart/form-data ------------------------------------------------------

BOUNDARY = "----WebKitFormBoundary7MA4YWxkTrZu0gW"
Parts = list[tuple[str, "str | None", bytes]]


def w5_body(file_mib: int, fields: int = 10) -> tuple[bytes, Parts]:
    """``fields`` text fields and two files of ``file_mib`` MiB; expected (name, filename, body)."""
    rnd = random.Random(20160601)
    expected: Parts = []
    out = bytearray()
    for i in range(fields):
        value = f"value {i} " + "x" * rnd.randrange(10, 200)
        expected.append((f"field{i}", None, value.encode()))
        out += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="field{i}"\r\n\r\n{value}\r\n'
        ).encode()
    for name in ("upload1", "upload2"):
        data = rnd.randbytes(file_mib * 1024 * 1024)
        expected.append((name, f"{name}.bin", data))
        out += (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{name}.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        out += data + b"\r\n"
    out += f"--{BOUNDARY}--\r\n".encode()
    return bytes(out), expected


def w5_form(file_mib: int) -> tuple[list[bytes], Parts]:
    """The W5 form (10 fields, two files) in 64 KiB pieces; expected (name, filename, body)."""
    body, expected = w5_body(file_mib)
    return pieces(body), expected


# -- W6: lines ----------------------------------------------------------------------


def w6_lines(n: int, chunk: int = 16 * 1024) -> tuple[list[bytes], int]:
    """``n`` short lines cut into ``chunk``-byte pieces; expected total bytes."""
    data = b"".join(b"line %d\n" % i for i in range(n))
    return pieces(data, chunk), len(data)

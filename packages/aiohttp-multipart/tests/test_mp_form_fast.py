"""The browser-shaped header fast path (parse_form_headers) against the general path.

MultipartReader first tries to match a part's header block as exactly what
browsers send; these tests check, on generated blocks (hostile bytes, quotes,
backslashes, '%', non-ASCII UTF-8 and latin-1, missing names, extra headers,
odd spacing and case), that whenever it matches it gives the very headers,
name, file name and (no) warnings that parse_buffered_headers followed by
parse_content_disposition give, that it leaves the buffer alone when it does
not match, and that a reader with the fast path gives the same parts, names,
warnings and errors as one without it. Both the pure function and the one the
_speedups switch picked (the compiled twin in a compiled wheel) are checked.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable

import pytest
from hypothesis import event, example, given, settings, strategies as st

from aiohttp_multipart import (
    BodyPartReader,
    MultipartReader,
    _headers,
    _reader,
    _speedups,
    content_disposition_filename,
    parse_content_disposition,
)
from aiohttp_streams import StreamReader

_FormParse = Callable[..., tuple[dict[str, str], tuple[str, str | None]] | None]
_PARSERS: list[_FormParse] = [_headers.parse_form_headers, _speedups.parse_form_headers]

# Bytes that matter to one of the two parsers; those that rule the fast path
# out are drawn in one value out of three, so that it is taken often.
_SAFE_BYTE = st.one_of(
    st.sampled_from([b"a", b"Z", b"0", b" ", b"\t", b"\\", b";", b"=", b"*", b"'", b"\x01"]),
    st.sampled_from([b"\xc3\xa9", b"\xe2\x82\xac", b"\xe9", b"\xff", b"\xc3", b"\x7f", b"\x0b"]),
)
_ANY_BYTE = st.one_of(
    _SAFE_BYTE,
    st.sampled_from([b'"', b"%", b"%22", b"%0A", b"\x00", b"\r", b"\n"]),
    st.binary(min_size=1, max_size=2),
)
_VALUE = st.one_of(
    st.text(st.sampled_from("abcXYZ09 ._-/\u00e9\u20ac"), max_size=8).map(str.encode),
    st.lists(_SAFE_BYTE, max_size=8).map(b"".join),
    st.lists(_ANY_BYTE, max_size=8).map(b"".join),
)
_CTYPE = st.one_of(
    st.sampled_from(
        [
            b"text/plain",
            b"text/plain; charset=utf-8",
            b"application/octet-stream",
            b"image/png",
            b" text/plain",
            b"text/plain ",
            b"text/plain\t",
            b"",
            b"multipart/mixed; boundary=inner",
            b"t\xe9xt/plain",
            b"\x0btext",
        ]
    ),
    _VALUE,
)


@st.composite
def _browser_block(draw: st.DrawFn) -> bytes:
    """A block shaped like a browser's, mostly; some draws bend one detail."""
    name = draw(_VALUE)
    filename = draw(st.none() | _VALUE)
    if draw(st.integers(0, 4)) == 0:  # one byte that rules the fast path out
        bad = draw(st.sampled_from([b'"', b"%", b"%22", b"%0a", b"\x00", b"\r", b"\n"]))
        if filename is not None and draw(st.booleans()):
            filename += bad
        else:
            name += bad
    disposition = b'form-data; name="' + name + b'"'
    if filename is not None:
        disposition += b'; filename="' + filename + b'"'
    lines = [b"Content-Disposition: " + disposition]
    where = draw(st.integers(0, 3))
    if where & 1:
        lines.insert(0, b"Content-Type: " + draw(_CTYPE))  # as aiohttp sends it
    if where & 2:
        lines.append(b"Content-Type: " + draw(_CTYPE))
    bend = draw(st.integers(0, 20))  # 1 to 8 bend it, the rest leave it
    if bend == 1:  # another header after them
        lines.append(b"X-Extra: 1")
    elif bend == 2:  # another header before them
        lines.insert(0, b"X-Extra: 1")
    elif bend == 3:  # name case
        lines[0] = lines[0].lower()
    elif bend == 4:  # spacing around the colon or the value
        lines[0] = lines[0].replace(b": ", draw(st.sampled_from([b":", b":  ", b":\t", b" : "])))
    elif bend == 5:  # a folded continuation
        lines.append(b" folded")
    elif bend == 6:  # spacing inside the value
        lines[0] = lines[0].replace(b"; ", draw(st.sampled_from([b";", b" ; ", b";  "])), 1)
    elif bend == 7:  # disposition type or parameter spelled differently
        lines[0] = lines[0].replace(
            draw(st.sampled_from([b"form-data", b"name=", b'"'])),
            draw(st.sampled_from([b"Form-Data", b"attachment", b"Name=", b"name*=", b""])),
            1,
        )
    elif bend == 8:  # trailing whitespace on the disposition line
        lines[0] += draw(st.sampled_from([b" ", b"\t"]))
    return b"\r\n".join(lines) + b"\r\n\r\n"


_BLOCK = st.one_of(
    _browser_block(),
    _browser_block(),
    _browser_block(),
    # Anything at all, which the fast path must leave to the general one.
    st.lists(
        st.one_of(
            st.sampled_from([b'Content-Disposition: form-data; name="a"', b"Content-Type: x"]),
            _VALUE,
        ),
        max_size=3,
    ).map(lambda lines: b"\r\n".join(lines) + b"\r\n\r\n"),
)


def _general(block: bytes, max_size: int, max_count: int) -> object:
    """What the general path makes of the block: headers, rest, disposition, warnings."""
    buf = bytearray(block)
    try:
        headers = _headers.parse_buffered_headers(buf, max_size=max_size, max_count=max_count)
    except Exception as exc:  # the fast path must never hide an error
        return ("error", type(exc), str(exc))
    if headers is None:
        return None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        disptype, params = parse_content_disposition(headers.get("Content-Disposition"))
        names = (
            content_disposition_filename(params, "name"),
            content_disposition_filename(params, "filename"),
        )
    shown = [(w.category, str(w.message)) for w in caught]
    return list(headers.items()), bytes(buf), disptype, names, shown


@settings(max_examples=400, deadline=None)
@given(
    _BLOCK,
    st.binary(max_size=6),
    st.one_of(st.just(8190), st.just(8190), st.integers(1, 200)),
    st.one_of(st.just(32), st.just(32), st.integers(0, 3)),
)
@example(b'Content-Disposition: form-data; name="a\xe9"; filename="\xc3\xa9"\r\n\r\n', b"x", 99, 2)
@example(b'Content-Disposition: form-data; name=""; filename=""\r\n\r\n', b"", 99, 2)
@example(b'Content-Disposition: form-data; name="a"; filename="b\r"\r\n\r\n', b"", 8190, 32)
@example(b'Content-Disposition: form-data; name="a%22"\r\n\r\n', b"", 8190, 32)
@example(b'Content-Disposition: form-data; name="a"\r\nContent-Type: t/p \r\n\r\n', b"", 8190, 32)
@example(b'Content-Type: t/p\r\nContent-Disposition: form-data; name="a"\r\n\r\n', b"", 8190, 1)
@example(
    b'Content-Type: a\r\nContent-Disposition: form-data; name="a"\r\nContent-Type: b\r\n\r\n',
    b"",
    8190,
    2,
)
@example(
    b'Content-Type: a\r\nContent-Disposition: form-data; name="a"\r\nContent-Type: b\r\n\r\n',
    b"",
    8190,
    3,
)
@example(b'Content-Disposition: form-data; name="a"\r\nContent-Type: t/p\r\n\r\n', b"", 99, 1)
@example(b'Content-Disposition: form-data; name="a"\r\nContent-Type: t/p\r\n\r\n', b"", 60, 2)
def test_fast_path_gives_what_the_general_path_gives(
    block: bytes, rest: bytes, max_size: int, max_count: int
) -> None:
    want = _general(block + rest, max_size, max_count)
    for parse in _PARSERS:
        buf = bytearray(block + rest)
        got = parse(buf, max_size=max_size, max_count=max_count)
        event("general path" if got is None else "fast path")
        if got is None:
            assert buf == block + rest  # untouched, for the general path
            continue
        headers, names = got
        assert want == (list(headers.items()), bytes(buf), "form-data", names, [])


def test_fast_path_takes_browser_blocks() -> None:
    # The shapes it exists for do take it (the property above only checks
    # that it is right when it does).
    for block in (
        b'Content-Disposition: form-data; name="f"\r\n\r\n',
        b'Content-Disposition: form-data; name="f"; filename="a b.txt"\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n",
        b'Content-Type: text/plain\r\nContent-Disposition: form-data; name="f"\r\n\r\n',
        'Content-Disposition: form-data; name="\u00e9"\r\n\r\n'.encode(),
    ):
        for parse in _PARSERS:
            assert parse(bytearray(block), max_size=8190, max_count=32) is not None


async def _read_all(block: bytes, subtype: str) -> list[object]:
    stream = StreamReader()
    stream.feed_data(b"--b\r\n" + block + b"body\r\n--b\r\n\r\nsecond\r\n--b--\r\n")
    stream.feed_eof()
    out: list[object] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            reader = MultipartReader({"Content-Type": f"multipart/{subtype}; boundary=b"}, stream)
            async for part in reader:
                if isinstance(part, MultipartReader):
                    out.append(("nested", list(part.headers.items())))
                    await part.release()
                    continue
                assert isinstance(part, BodyPartReader)
                out.append((list(part.headers.items()), part.name, part.filename))
                out.append(await part.read())
        except Exception as exc:
            out.append((type(exc), str(exc)))
    out.append([(w.category, str(w.message)) for w in caught])
    return out


@settings(max_examples=150, deadline=None)
@given(_BLOCK, st.sampled_from(["form-data", "mixed"]))
def test_reader_same_with_and_without_fast_path(block: bytes, subtype: str) -> None:
    fast = asyncio.run(_read_all(block, subtype))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_reader, "parse_form_headers", lambda buf, **limits: None)
        general = asyncio.run(_read_all(block, subtype))
    assert fast == general


def test_names_fixed_per_part_yet_warned_each_time_when_rfc2231() -> None:
    # A part's name and filename are computed once when plain; an RFC 2231
    # section that does not parse is still warned about on every access.
    async def main() -> tuple[list[object], int]:
        stream = StreamReader()
        stream.feed_data(
            b"--b\r\nContent-Disposition: attachment; name=a; filename*0*=bad\r\n\r\nx"
            b'\r\n--b\r\nContent-Disposition: form-data; name="a;b"; filename=c\r\n\r\ny'
            b"\r\n--b--\r\n"
        )
        stream.feed_eof()
        reader = MultipartReader({"Content-Type": "multipart/mixed; boundary=b"}, stream)
        seen: list[object] = []
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            async for part in reader:
                assert isinstance(part, BodyPartReader)
                for _ in range(3):
                    seen.append((part.name, part.filename))
        return seen, len(caught)

    seen, warned = asyncio.run(main())
    assert seen == [("a", None)] * 3 + [("a;b", "c")] * 3
    assert warned == 3

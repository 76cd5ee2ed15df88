"""One adapter per (workload, implementation): how each library is driven.

``ADAPTERS[workload][impl](inputs)`` returns a zero-argument callable: the
timed part. It returns the decoded content, which the worker checks against
the expected content after the clock has stopped. Imports are local: a
worker imports only the library it measures (aiohttp 3.x lives in its own
environment, where our packages are not installed).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any

from . import inputs as I  # noqa: N812

Run = Callable[[], Any]


# -- W1 / W2: HTTP/1.1 parsing ----------------------------------------------------


class _Collect:
    def __init__(self) -> None:
        self.items: list[Any] = []

    def feed_data(self, data: Any, size: int = 0) -> None:
        self.items.append(data)

    def feed_eof(self) -> None:
        pass


def drive(gen: Any, feed: Any) -> bool:
    """Run a 2016-style parser generator over ``feed``; True when it finished."""
    try:
        next(gen)
    except StopIteration:
        return True
    for piece in feed:
        try:
            gen.send(piece)
        except StopIteration:
            return True
    return False


def w1_ours(data: list[bytes]) -> Run:
    from aiohttp_parsers import HttpPayloadParser, HttpRequestParser, ParserBuffer

    def run() -> list[Any]:
        buf = ParserBuffer()
        feed = iter(data)
        parser = HttpRequestParser()
        heads = _Collect()
        body = _Collect()
        result = []
        while drive(parser(heads, buf), feed):
            msg = heads.items.pop()
            result.append((msg.method, msg.path, len(msg.headers), msg.headers.get("Cookie")))
            # As a 2016 server does: the (empty) body parser runs per request.
            drive(HttpPayloadParser(msg)(body, buf), feed)
        return result

    return run


def w2_ours(data: list[bytes]) -> Run:
    from aiohttp_parsers import HttpPayloadParser, HttpResponseParser, ParserBuffer

    def run() -> list[Any]:
        buf = ParserBuffer()
        feed = iter(data)
        heads = _Collect()
        drive(HttpResponseParser()(heads, buf), feed)
        body = _Collect()
        drive(HttpPayloadParser(heads.items[0])(body, buf), feed)
        return body.items

    return run


def w1_h11(data: list[bytes]) -> Run:
    import h11

    def run() -> list[Any]:
        result = []
        conn = h11.Connection(h11.SERVER)
        for piece in data:
            conn.receive_data(piece)
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA:
                    break
                if isinstance(event, h11.Request):
                    cookie = next(v for k, v in event.headers if k == b"cookie")
                    result.append(
                        (
                            event.method.decode(),
                            event.target.decode(),
                            len(event.headers),
                            cookie.decode(),
                        )
                    )
                elif isinstance(event, h11.EndOfMessage):
                    # Parse only: a server would answer before the next
                    # cycle; a new connection over the leftover skips that.
                    leftover = conn.trailing_data[0]
                    conn = h11.Connection(h11.SERVER)
                    if leftover:
                        conn.receive_data(leftover)
        return result

    return run


def w2_h11(data: list[bytes]) -> Run:
    import h11

    def run() -> list[Any]:
        conn = h11.Connection(h11.CLIENT)
        conn.send(h11.Request(method="GET", target="/", headers=[("Host", "example.com")]))
        conn.send(h11.EndOfMessage())
        out = []
        for piece in data:
            conn.receive_data(piece)
            while True:
                event = conn.next_event()
                if event is h11.NEED_DATA or isinstance(event, h11.EndOfMessage):
                    break
                if isinstance(event, h11.Data):
                    out.append(event.data)
        return out

    return run


def w1_httptools(data: list[bytes]) -> Run:
    import httptools

    class Proto:
        def __init__(self) -> None:
            self.result: list[Any] = []
            self.url = b""
            self.headers: list[tuple[bytes, bytes]] = []
            self.parser: Any = None

        def on_url(self, url: bytes) -> None:
            self.url += url

        def on_header(self, name: bytes, value: bytes) -> None:
            self.headers.append((name, value))

        def on_message_complete(self) -> None:
            cookie = next(v for k, v in self.headers if k.lower() == b"cookie")
            self.result.append(
                (
                    self.parser.get_method().decode(),
                    self.url.decode(),
                    len(self.headers),
                    cookie.decode(),
                )
            )
            self.url = b""
            self.headers = []

    def run() -> list[Any]:
        proto = Proto()
        parser = httptools.HttpRequestParser(proto)
        proto.parser = parser
        for piece in data:
            parser.feed_data(piece)
        proto.parser = None  # the proto <-> parser cycle would keep the result
        return proto.result

    return run


def w2_httptools(data: list[bytes]) -> Run:
    import httptools

    class Proto:
        def __init__(self) -> None:
            self.out: list[bytes] = []

        def on_body(self, body: bytes) -> None:
            self.out.append(body)

    def run() -> list[Any]:
        proto = Proto()
        parser = httptools.HttpResponseParser(proto)
        for piece in data:
            parser.feed_data(piece)
        return proto.out

    return run


def _aiohttp3_protocol() -> tuple[Any, asyncio.AbstractEventLoop]:
    from aiohttp.base_protocol import BaseProtocol

    class Transport:
        """Enough of a transport for flow control: there is no socket."""

        def pause_reading(self) -> None:
            pass

        def resume_reading(self) -> None:
            pass

        def is_closing(self) -> bool:
            return False

        def get_extra_info(self, name: str, default: Any = None) -> Any:
            return default

    loop = asyncio.new_event_loop()
    protocol = BaseProtocol(loop)
    protocol.connection_made(Transport())  # type: ignore[arg-type]
    return protocol, loop


def w1_aiohttp3(data: list[bytes]) -> Run:
    from aiohttp.http_parser import HttpRequestParser

    protocol, loop = _aiohttp3_protocol()

    def run() -> list[Any]:
        parser = HttpRequestParser(protocol, loop, 2**16)
        result = []
        for piece in data:
            messages, _upgraded, _tail = parser.feed_data(piece)
            for msg, _payload in messages:
                result.append((msg.method, msg.path, len(msg.headers), msg.headers.get("Cookie")))
        return result

    return run


def w2_aiohttp3(data: list[bytes]) -> Run:
    from aiohttp.http_parser import HttpResponseParser

    protocol, loop = _aiohttp3_protocol()

    def run() -> list[Any]:
        # A limit above the body: no flow control (nobody reads meanwhile).
        parser = HttpResponseParser(protocol, loop, 2**30)
        payload = None
        for piece in data:
            messages, _upgraded, _tail = parser.feed_data(piece)
            if messages:
                payload = messages[0][1]
        assert payload is not None
        # The body pieces as the StreamReader holds them for a reader.
        return list(payload._buffer)

    return run


# -- W3 / W4: WebSocket ------------------------------------------------------------


# Adapters build no class per run: a class is a reference cycle, so with
# the collector off while timing, whatever it held (the run's whole output)
# would stay allocated until the next collection.


class _ListSink:
    """A transport whose ``write`` appends to a list."""

    def __init__(self, out: list[bytes]) -> None:
        self.write = out.append


class _MessageData:
    """A parser output that keeps each message's ``data``."""

    def __init__(self, out: list[Any]) -> None:
        self.out = out

    def feed_data(self, msg: Any, size: int) -> None:
        self.out.append(msg.data)


def w3_ours(data: list[bytes]) -> Run:
    from aiohttp_parsers import ParserBuffer
    from aiohttp_websocket import WebSocketParser

    def run() -> list[Any]:
        out: list[Any] = []
        gen = WebSocketParser(_MessageData(out), ParserBuffer(), masked=True)
        next(gen)
        send = gen.send
        for piece in data:
            send(piece)
        return out

    return run


def w3_wsproto(data: list[bytes]) -> Run:
    from wsproto.frame_protocol import FrameProtocol

    def run() -> list[Any]:
        proto = FrameProtocol(client=False, extensions=[])
        out: list[Any] = []
        parts: list[Any] = []
        for piece in data:
            proto.receive_bytes(piece)
            for frame in proto.received_frames():
                # wsproto hands out a frame cut at a piece boundary in parts;
                # text parts are already decoded.
                parts.append(frame.payload)
                if frame.message_finished:
                    first = parts[0]
                    out.append(first if len(parts) == 1 else first[:0].join(parts))
                    parts = []
        return out

    return run


def _websockets(pure: bool) -> Any:
    if pure:
        # Its only compiled part is a mask function; without it the same
        # code runs its pure-Python fallback.
        sys.modules["websockets.speedups"] = None  # type: ignore[assignment]
    import websockets.frames
    from websockets.protocol import Protocol, Side

    # Which mask function the frames module uses: a Python function is the
    # fallback, a builtin the compiled one.
    assert pure is hasattr(websockets.frames.apply_mask, "__code__")
    return Protocol, Side


def w3_websockets(data: list[bytes], pure: bool = True) -> Run:
    Protocol, Side = _websockets(pure)
    from websockets.frames import Opcode

    text = Opcode.TEXT

    def run() -> list[Any]:
        proto = Protocol(Side.SERVER, max_size=None)
        out: list[Any] = []
        for piece in data:
            proto.receive_data(piece)
            for frame in proto.events_received():
                # The sans-I/O layer leaves text undecoded; its connection
                # classes decode it like this.
                out.append(frame.data.decode() if frame.opcode is text else frame.data)
        return out

    return run


def w3_aiohttp3(data: list[bytes]) -> Run:
    from aiohttp._websocket.reader import WebSocketDataQueue, WebSocketReader

    protocol, loop = _aiohttp3_protocol()

    def run() -> list[Any]:
        queue = WebSocketDataQueue(protocol, 2**30, loop=loop)
        reader = WebSocketReader(queue, 0, compress=False, decode_text=True)
        for piece in data:
            reader.feed_data(piece)
        return [msg.data for msg, _size in queue._buffer]

    return run


def w4_ours(msgs: I.WsMessages) -> Run:
    from aiohttp_websocket import WebSocketWriter

    def run() -> list[bytes]:
        out: list[bytes] = []
        sink = _ListSink(out)
        server = WebSocketWriter(sink, use_mask=False)
        for t in msgs.texts:
            server.send(t)
        client = WebSocketWriter(sink, use_mask=True)
        for b in msgs.blobs:
            client.send(b, binary=True)
        return out

    return run


def w4_wsproto(msgs: I.WsMessages) -> Run:
    from wsproto.frame_protocol import FrameProtocol

    def run() -> list[bytes]:
        out = []
        server = FrameProtocol(client=False, extensions=[])
        for t in msgs.texts:
            out.append(server.send_data(t, fin=True))
        client = FrameProtocol(client=True, extensions=[])
        for b in msgs.blobs:
            out.append(client.send_data(b, fin=True))
        return out

    return run


def w4_websockets(msgs: I.WsMessages, pure: bool = True) -> Run:
    Protocol, Side = _websockets(pure)

    def run() -> list[bytes]:
        out: list[bytes] = []
        server = Protocol(Side.SERVER, max_size=None)
        for t in msgs.texts:
            server.send_text(t.encode())
            out += server.data_to_send()
        client = Protocol(Side.CLIENT, max_size=None)
        for b in msgs.blobs:
            client.send_binary(b)
            out += client.data_to_send()
        return out

    return run


def w4_aiohttp3(msgs: I.WsMessages) -> Run:
    from aiohttp._websocket.writer import WebSocketWriter

    protocol, loop = _aiohttp3_protocol()

    class Transport:
        def __init__(self) -> None:
            self.out: list[bytes] = []
            self.write = self.out.append

        def is_closing(self) -> bool:
            return False

    async def send_all() -> list[bytes]:
        transport = Transport()
        server = WebSocketWriter(protocol, transport, use_mask=False)  # type: ignore[arg-type]
        for t in msgs.texts:
            await server.send_frame(t.encode(), 0x1)
        client = WebSocketWriter(protocol, transport, use_mask=True)  # type: ignore[arg-type]
        for b in msgs.blobs:
            await client.send_frame(b, 0x2)
        return transport.out

    return lambda: loop.run_until_complete(send_all())


# -- W5: multipart ------------------------------------------------------------------
# Every parser gets the body the way a server does: from a stream fed by a
# producer task, one 64 KiB piece per event-loop turn, and every part's body
# is consumed piece by piece. The push parsers read the same stream as ours
# (aiohttp_streams.StreamReader, which hands a fed piece over uncopied), so
# only the parsers differ; aiohttp 3.x's reader needs its own StreamReader.

_CTYPE = f"multipart/form-data; boundary={I.BOUNDARY}"


def _run_fed(
    make_stream: Callable[[], Any], consume: Callable[[Any], Any], data: list[bytes]
) -> Run:
    loop = asyncio.new_event_loop()

    async def produce(stream: Any) -> None:
        for piece in data:
            stream.feed_data(piece)
            await asyncio.sleep(0)
        stream.feed_eof()

    async def once() -> Any:
        stream = make_stream()
        producer = asyncio.ensure_future(produce(stream))
        result = await consume(stream)
        await producer
        return result

    return lambda: loop.run_until_complete(once())


def _our_stream() -> Any:
    import aiohttp_streams

    return aiohttp_streams.StreamReader


def _w5_read_form(multipart: Any) -> Callable[[Any], Any]:
    """The W5 consumer for a 2016-style ``multipart`` module (ours, aiohttp 3's)."""

    async def consume(stream: Any) -> Any:
        reader = multipart.MultipartReader({"Content-Type": _CTYPE}, stream)
        parts = []
        while (part := await reader.next()) is not None:
            pieces = []
            read_chunk = part.read_chunk
            while piece := await read_chunk(I.PIECE):
                pieces.append(piece)
            parts.append((part.name, part.filename, pieces))
        return parts

    return consume


def w5_ours(data: list[bytes], multipart: Any = None) -> Run:
    """``multipart``: another copy of aiohttp_multipart to read with (ab_w5.py)."""
    if multipart is None:
        import aiohttp_multipart as multipart

    return _run_fed(_our_stream(), _w5_read_form(multipart), data)


def w5_aiohttp3(data: list[bytes]) -> Run:
    import aiohttp.multipart
    import aiohttp.streams

    protocol, _loop = _aiohttp3_protocol()

    def make() -> Any:
        return aiohttp.streams.StreamReader(protocol, 2**16, loop=asyncio.get_event_loop())

    return _run_fed(make, _w5_read_form(aiohttp.multipart), data)


def _asyncio_stream() -> Any:
    return asyncio.StreamReader(limit=2**20)


def w5_python_multipart(data: list[bytes]) -> Run:
    from python_multipart.multipart import MultipartParser, parse_options_header

    async def consume(stream: Any) -> Any:
        parts: list[Any] = []
        state: dict[str, Any] = {"pieces": [], "disp": b"", "field": [], "value": []}

        def on_part_begin() -> None:
            state["pieces"] = []
            state["disp"] = b""

        def on_part_data(buf: bytes, start: int, end: int) -> None:
            state["pieces"].append(buf[start:end])

        def on_header_field(buf: bytes, start: int, end: int) -> None:
            state["field"].append(buf[start:end])

        def on_header_value(buf: bytes, start: int, end: int) -> None:
            state["value"].append(buf[start:end])

        def on_header_end() -> None:
            if b"".join(state["field"]).lower() == b"content-disposition":
                state["disp"] = b"".join(state["value"])
            state["field"].clear()
            state["value"].clear()

        def on_part_end() -> None:
            _, params = parse_options_header(state["disp"])
            fn = params.get(b"filename")
            parts.append((params[b"name"].decode(), fn.decode() if fn else None, state["pieces"]))

        parser = MultipartParser(
            I.BOUNDARY,
            {
                "on_part_begin": on_part_begin,
                "on_part_data": on_part_data,
                "on_part_end": on_part_end,
                "on_header_field": on_header_field,
                "on_header_value": on_header_value,
                "on_header_end": on_header_end,
            },
        )
        write = parser.write
        while chunk := await stream.read(I.PIECE):
            write(chunk)
        parser.finalize()
        return parts

    return _run_fed(_our_stream(), consume, data)


def _load_defnull() -> Any:
    # python-multipart installs a `multipart` shim too: load defnull's module
    # from its own file.
    import importlib.metadata
    import importlib.util

    path = importlib.metadata.distribution("multipart").locate_file("multipart.py")
    spec = importlib.util.spec_from_file_location("defnull_multipart", str(path))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def w5_multipart(data: list[bytes]) -> Run:
    module = _load_defnull()

    async def consume(stream: Any) -> Any:
        parser = module.PushMultipartParser(I.BOUNDARY)
        parts: list[Any] = []
        pieces: list[bytes] = []
        segment: Any = None
        parse = parser.parse
        while chunk := await stream.read(I.PIECE):
            for event in parse(chunk):
                if isinstance(event, bytes):
                    pieces.append(event)
                elif event is None:
                    parts.append((segment.name, segment.filename, pieces))
                    pieces = []
                else:
                    segment = event
        parser.close()
        return parts

    return _run_fed(_our_stream(), consume, data)


def w5_floor(data: list[bytes]) -> Run:
    """Not a parser: the least any parser does in this harness.

    Every piece is awaited from the stream and searched once for the
    delimiter with ``bytes.find`` (what ours and defnull's parser both use);
    nothing is decoded. No pure-Python parser can beat this row, so the
    fastest peer's time over it bounds the ratio any parser can reach.
    """
    delim = b"\r\n--" + I.BOUNDARY.encode()

    async def consume(stream: Any) -> Any:
        pieces = []
        while chunk := await stream.read(I.PIECE):
            chunk.find(delim)
            pieces.append(chunk)
        return pieces

    return _run_fed(_our_stream(), consume, data)


def w5_streaming_form_data(data: list[bytes]) -> Run:
    from streaming_form_data import StreamingFormDataParser
    from streaming_form_data.targets import BaseTarget

    class Collect(BaseTarget):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__()
            self.pieces: list[bytes] = []

        def on_data_received(self, chunk: bytes) -> None:
            self.pieces.append(chunk)

    names = [f"field{i}" for i in range(10)] + ["upload1", "upload2"]

    async def consume(stream: Any) -> Any:
        parser = StreamingFormDataParser(headers={"Content-Type": _CTYPE})
        targets = {}
        for name in names:
            targets[name] = Collect()
            parser.register(name, targets[name])
        data_received = parser.data_received
        while chunk := await stream.read(I.PIECE):
            data_received(chunk)
        # Parts arrive in registration order here; the file names come from
        # the target, which records the part's Content-Disposition.
        return [(n, t.multipart_filename, t.pieces) for n, t in targets.items()]

    return _run_fed(_our_stream(), consume, data)


# -- W6: readline -------------------------------------------------------------------


def _w6(make_stream: Callable[[], Any], data: list[bytes]) -> Run:
    async def consume(stream: Any) -> tuple[int, int]:
        lines = total = 0
        readline = stream.readline
        while line := await readline():
            lines += 1
            total += len(line)
        return lines, total

    return _run_fed(make_stream, consume, data)


def w6_ours(data: list[bytes]) -> Run:
    return _w6(_our_stream(), data)


def w6_asyncio(data: list[bytes]) -> Run:
    return _w6(_asyncio_stream, data)


def w6_aiohttp3(data: list[bytes]) -> Run:
    import aiohttp.streams

    protocol, _loop = _aiohttp3_protocol()

    def make() -> Any:
        return aiohttp.streams.StreamReader(protocol, 2**16, loop=asyncio.get_event_loop())

    return _w6(make, data)

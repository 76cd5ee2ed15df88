# Strategy: one connection protocol, the WSGI server's, with two paths taken
# over before the WSGI app sees them: ``/ws`` upgrades to a WebSocket echo
# (the handshake answer goes out through the HTTP writer, then the connection's
# StreamParser switches to the WebSocket frame parser), and ``/upload`` streams
# a multipart body part by part to files, hashing as it writes. Everything
# else is the WSGI app's. The pieces meet only here: each stays ignorant of
# the others.
from __future__ import annotations

import asyncio
import hashlib
import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Final

from aiohttp_errors import HttpBadRequest, HttpMethodNotAllowed, InvalidURL
from aiohttp_multipart import BodyPartReader, MultipartReader
from aiohttp_parsers import RawRequestMessage, Response, hdrs
from aiohttp_streams import EofStream, StreamReader
from aiohttp_websocket import WebSocketError, WSCloseCode, WSMsgType, do_handshake
from aiohttp_wsgi import WSGIServerHttpProtocol

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ("ShowcaseProtocol", "WS_MAX_MSG_SIZE", "UPLOAD_MAX_FILE_SIZE", "UPLOAD_MAX_BODY_SIZE")

#: Largest WebSocket message the echo accepts (a demo, not a file transfer).
WS_MAX_MSG_SIZE: Final = 1024 * 1024
#: Largest file one upload part may carry; past it the upload fails with 400.
UPLOAD_MAX_FILE_SIZE: Final = 1024 * 1024 * 1024
#: Largest whole upload body (all its parts): two files of the largest size.
UPLOAD_MAX_BODY_SIZE: Final = 2 * UPLOAD_MAX_FILE_SIZE + 65536
_CHUNK: Final = 64 * 1024


class ShowcaseProtocol(WSGIServerHttpProtocol):
    """The showcase server's connection: ``/ws`` echo, ``/upload``, WSGI for the rest.

    :param app: the WSGI application serving every other path.
    :param upload_dir: the folder uploaded files are written to.
    """

    def __init__(self, app: WSGIApplication, *, upload_dir: Path, **kw: object) -> None:
        super().__init__(app, **kw)  # type: ignore[arg-type]  # forwarded keywords, checked there
        self.upload_dir = upload_dir

    async def handle_request(self, message: RawRequestMessage, payload: StreamReader) -> None:
        try:
            path = message.url.path
        except InvalidURL:
            # A request-target yarl cannot parse (``http://[zz]/``) is not
            # ours: the WSGI side reads targets without yarl.
            path = ""
        if path == "/ws":
            await self._websocket_echo(message)
        elif path == "/upload":
            await self._upload(message, payload)
        else:
            await super().handle_request(message, payload)

    # -- /ws --------------------------------------------------------------------

    async def _websocket_echo(self, message: RawRequestMessage) -> None:
        assert self.writer is not None and self.transport is not None
        started = time.monotonic()
        status, headers, parser, writer, _ = do_handshake(
            message.method, message.headers, self.transport, max_msg_size=WS_MAX_MSG_SIZE
        )
        response = Response(self.writer, status, http_version=message.version)
        response.add_headers(*headers)
        response.send_headers()
        self.log_access(message, None, response, time.monotonic() - started)
        self.keep_alive(False)  # after the WebSocket, the connection is done
        frames = self.reader.set_parser(parser)
        while True:
            try:
                msg = await frames.read()
            except EofStream:
                return
            except WebSocketError as exc:
                writer.close(exc.code)
                return
            if msg.type == WSMsgType.text and isinstance(msg.data, str):
                writer.send(msg.data)
            elif msg.type == WSMsgType.binary and isinstance(msg.data, bytes):
                writer.send(msg.data, binary=True)
            elif msg.type == WSMsgType.ping and isinstance(msg.data, bytes):
                writer.pong(msg.data)
            elif msg.type == WSMsgType.close:
                code = msg.data if isinstance(msg.data, int) and msg.data else WSCloseCode.ok
                writer.close(code)
                return

    # -- /upload ----------------------------------------------------------------

    async def _upload(self, message: RawRequestMessage, payload: StreamReader) -> None:
        if message.method != hdrs.METH_POST:
            raise HttpMethodNotAllowed(
                message="POST a multipart/form-data body here", headers=[(hdrs.ALLOW, "POST")]
            )
        if not message.headers.get(hdrs.CONTENT_TYPE, "").startswith("multipart/"):
            raise HttpBadRequest("expected a multipart/form-data body")
        started = time.monotonic()
        self.send_continue()
        reader = MultipartReader(
            message.headers,
            payload,
            max_part_size=UPLOAD_MAX_FILE_SIZE,
            max_body_size=UPLOAD_MAX_BODY_SIZE,
        )
        files: list[dict[str, object]] = []
        fields: dict[str, str] = {}
        async for part in reader:
            if isinstance(part, MultipartReader):
                await part.release()  # nested multipart/mixed: not part of this demo
            elif part.filename is None:
                fields[part.name or ""] = await part.text()
            else:
                files.append(await self._store(part))
        body = json.dumps({"files": files, "fields": fields}).encode()
        assert self.writer is not None
        response = Response(self.writer, 200, http_version=message.version)
        response.add_header(hdrs.CONTENT_TYPE, "application/json")
        response.add_header(hdrs.CONTENT_LENGTH, str(len(body)))
        response.send_headers()
        response.write(body)
        await response.write_eof()
        self.keep_alive(response.keep_alive())
        self.log_access(message, None, response, time.monotonic() - started)

    async def _store(self, part: BodyPartReader) -> dict[str, object]:
        """Stream one file part to disk; never more than a chunk in memory."""
        assert part.filename is not None
        name = os.path.basename(part.filename.replace("\\", "/")) or "upload"
        target = self.upload_dir / f"{uuid.uuid4().hex}-{name}"
        digest = hashlib.sha256()
        size = 0
        loop = asyncio.get_running_loop()
        try:
            with open(target, "wb") as f:
                while chunk := await part.read_chunk(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    await loop.run_in_executor(None, f.write, chunk)
        except BaseException:
            # A part cut short (the client went away, the body is malformed)
            # is not a file: leave nothing half-written behind.
            target.unlink(missing_ok=True)
            raise
        return {
            "field": part.name,
            "filename": part.filename,
            "size": size,
            "sha256": digest.hexdigest(),
            "stored_as": str(target),
        }


def default_upload_dir() -> Path:
    """A fresh temporary folder for this run's uploads."""
    return Path(tempfile.mkdtemp(prefix="aiohttp-showcase-"))

# The showcase's default WSGI app: one page whose upload form posts to
# /upload and whose echo box talks to /ws (both served beside this app by
# ShowcaseProtocol), plus a plain-text /hello. Plain WSGI: no framework.
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

__all__ = ("demo_app",)

PAGE: Final = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>aiohttp pieces showcase</title>
<style>
 body { font-family: sans-serif; max-width: 48em; margin: 2em auto; }
 section { border: 1px solid #ccc; padding: 1em; margin-bottom: 1em; }
 td, th { padding: 0 .5em; text-align: left; font-family: monospace; }
</style>
</head>
<body>
<h1>aiohttp pieces showcase</h1>
<p>This page is served by a WSGI app (aiohttp-wsgi); the upload goes to a
streaming multipart reader (aiohttp-multipart) and the echo box to a
WebSocket (aiohttp-websocket), all on one server.</p>

<section>
<h2>Upload</h2>
<form id="upload-form" action="/upload" method="post" enctype="multipart/form-data">
  <input id="upload-file" type="file" name="file" multiple>
  <button id="upload-button" type="submit">Upload</button>
</form>
<table id="upload-result"><thead>
<tr><th>name</th><th>size</th><th>SHA-256</th></tr></thead><tbody></tbody></table>
<p id="upload-status"></p>
</section>

<section>
<h2>WebSocket echo</h2>
<input id="ws-input" value="hello">
<button id="ws-send" disabled>Send</button>
<span id="ws-status">connecting</span>
<ul id="ws-log"></ul>
</section>

<script>
const form = document.getElementById("upload-form");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const status = document.getElementById("upload-status");
  status.textContent = "uploading";
  const answer = await fetch("/upload", {method: "POST", body: new FormData(form)});
  if (!answer.ok) { status.textContent = "failed: " + answer.status; return; }
  const result = await answer.json();
  const rows = document.querySelector("#upload-result tbody");
  for (const file of result.files) {
    const row = rows.insertRow();
    row.className = "upload-row";
    for (const value of [file.filename, file.size, file.sha256]) {
      row.insertCell().textContent = value;
    }
  }
  status.textContent = "done";
});

const log = document.getElementById("ws-log");
const scheme = location.protocol === "https:" ? "wss://" : "ws://";
const ws = new WebSocket(scheme + location.host + "/ws");
ws.onopen = () => {
  document.getElementById("ws-status").textContent = "open";
  document.getElementById("ws-send").disabled = false;
};
ws.onclose = () => { document.getElementById("ws-status").textContent = "closed"; };
ws.onmessage = (event) => {
  const item = document.createElement("li");
  item.className = "ws-echo";
  item.textContent = event.data;
  log.appendChild(item);
};
document.getElementById("ws-send").addEventListener("click", () => {
  ws.send(document.getElementById("ws-input").value);
});
</script>
</body>
</html>
"""


def demo_app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    """The built-in page (``/``) and ``/hello``; 404 for anything else."""
    path = environ.get("PATH_INFO", "/")
    if path == "/":
        body = PAGE.encode("utf-8")
        content_type = "text/html; charset=utf-8"
        status = "200 OK"
    elif path == "/hello":
        body, content_type, status = b"Hello from WSGI\n", "text/plain", "200 OK"
    else:
        body, content_type, status = b"Not Found\n", "text/plain", "404 Not Found"
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]

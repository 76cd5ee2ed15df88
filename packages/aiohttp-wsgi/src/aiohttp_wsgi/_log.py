# Strategy: the logger objects of aiohttp's 2016 ``aiohttp.log`` module, created
# once here (the lowest package that logs through them) so the meta-package can
# re-export the very same objects. Names are the 2016 logger names, so existing
# logging configuration (``logging.getLogger("aiohttp.access")``) keeps working.
from __future__ import annotations

import logging
from typing import Final

#: Access log: one line per answered request, written by :class:`AccessLogger`.
access_logger: Final = logging.getLogger("aiohttp.access")
#: Client-side messages (kept for the 2016 ``aiohttp.log`` surface).
client_logger: Final = logging.getLogger("aiohttp.client")
#: Internal messages (kept for the 2016 ``aiohttp.log`` surface).
internal_logger: Final = logging.getLogger("aiohttp.internal")
#: Server messages: handler exceptions, debug traces of the HTTP protocol.
server_logger: Final = logging.getLogger("aiohttp.server")
#: Web application messages (kept for the 2016 ``aiohttp.log`` surface).
web_logger: Final = logging.getLogger("aiohttp.web")
#: WebSocket messages (kept for the 2016 ``aiohttp.log`` surface).
ws_logger: Final = logging.getLogger("aiohttp.websocket")

# Strategy: the one place that chooses between the pure-Python hot modules
# and their compiled twins. A wheel built with the mypyc build hook (see
# hatch_build.py; off by default) also holds ``_wordmask_c``, ``_frames_c``
# and ``_parser_c``: the same typed source compiled by mypyc (``_wordmask``
# is the compiled build's ``_mask``: same API, a loop that pays off only
# compiled). They are used unless AIOHTTP_NO_EXTENSIONS is set to a
# non-empty value (aiohttp 3.x's switch); the pure modules are the fallback
# when they are absent or cannot be loaded (e.g. librt is missing).
# Type checkers always see the pure modules, which are the source of truth.
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

__all__ = ("COMPILED", "NO_EXTENSIONS", "WebSocketParser", "websocket_mask")

#: True when AIOHTTP_NO_EXTENSIONS asks for pure Python.
NO_EXTENSIONS: Final = bool(os.environ.get("AIOHTTP_NO_EXTENSIONS"))

if TYPE_CHECKING or NO_EXTENSIONS:
    from ._mask import websocket_mask as websocket_mask
    from ._parser import WebSocketParser as WebSocketParser

    _compiled = False
else:
    try:
        from ._parser_c import WebSocketParser as WebSocketParser
        from ._wordmask_c import websocket_mask as websocket_mask

        _compiled = True
    except ImportError:
        from ._mask import websocket_mask as websocket_mask
        from ._parser import WebSocketParser as WebSocketParser

        _compiled = False

#: Whether the compiled twins are in use.
COMPILED: Final = _compiled

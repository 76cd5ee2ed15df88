# Strategy: the one place that chooses between the pure-Python hot modules
# and their compiled twins. A wheel built with the mypyc build hook (see
# hatch_build.py; off by default) also holds ``_fields_c``, ``_head_c`` and
# ``_chunked_c``: the same typed source compiled by mypyc. They are used
# unless AIOHTTP_NO_EXTENSIONS is set to a non-empty value (aiohttp 3.x's
# switch), and the pure modules are the fallback when they are absent.
# Only sans-I/O code is compiled (no generators: mypyc crashed on the nested
# ``yield from`` chains of the 2016 parser protocol); the generator adapters
# in ``_http_parser`` and ``_payload`` stay pure and call these names.
# Type checkers always see the pure modules, which are the source of truth.
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

__all__ = (
    "COMPILED",
    "NO_EXTENSIONS",
    "ChunkedDecoder",
    "HeadScanner",
    "body_framing",
    "parse_request_head",
    "parse_response_head",
    "parse_response_lines",
)

#: True when AIOHTTP_NO_EXTENSIONS asks for pure Python.
NO_EXTENSIONS: Final = bool(os.environ.get("AIOHTTP_NO_EXTENSIONS"))

if TYPE_CHECKING or NO_EXTENSIONS:
    from ._chunked import ChunkedDecoder as ChunkedDecoder
    from ._fields import body_framing as body_framing
    from ._head import (
        HeadScanner as HeadScanner,
        parse_request_head as parse_request_head,
        parse_response_head as parse_response_head,
        parse_response_lines as parse_response_lines,
    )

    _compiled = False
else:
    try:
        from ._chunked_c import ChunkedDecoder as ChunkedDecoder
        from ._fields_c import body_framing as body_framing
        from ._head_c import (
            HeadScanner as HeadScanner,
            parse_request_head as parse_request_head,
            parse_response_head as parse_response_head,
            parse_response_lines as parse_response_lines,
        )

        _compiled = True
    except ImportError:
        from ._chunked import ChunkedDecoder as ChunkedDecoder
        from ._fields import body_framing as body_framing
        from ._head import (
            HeadScanner as HeadScanner,
            parse_request_head as parse_request_head,
            parse_response_head as parse_response_head,
            parse_response_lines as parse_response_lines,
        )

        _compiled = False

#: Whether the compiled twins are in use.
COMPILED: Final = _compiled

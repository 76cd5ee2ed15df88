# Strategy: the one place that chooses between the pure-Python hot modules
# and their compiled twins. A wheel built with the mypyc build hook (see
# hatch_build.py; off by default) also holds ``_boundary_c``, ``_headers_c``
# and ``_disposition_c``: the same typed source compiled by mypyc. They are
# used unless AIOHTTP_NO_EXTENSIONS is set to a non-empty value, and the pure
# modules are the fallback when they are absent. The reader classes stay
# pure Python: they are public and subclassed (``part_reader_cls``), which
# mypyc's native classes would restrict. Type checkers see the pure modules.
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

__all__ = (
    "COMPILED",
    "NO_EXTENSIONS",
    "content_disposition_filename",
    "parse_buffered_headers",
    "parse_content_disposition",
    "parse_content_type",
    "parse_form_headers",
    "read_part_headers",
    "safe_len",
)

#: True when AIOHTTP_NO_EXTENSIONS asks for pure Python.
NO_EXTENSIONS: Final = bool(os.environ.get("AIOHTTP_NO_EXTENSIONS"))

if TYPE_CHECKING or NO_EXTENSIONS:
    from ._boundary import safe_len as safe_len
    from ._disposition import (
        content_disposition_filename as content_disposition_filename,
        parse_content_disposition as parse_content_disposition,
        parse_content_type as parse_content_type,
    )
    from ._headers import (
        parse_buffered_headers as parse_buffered_headers,
        parse_form_headers as parse_form_headers,
        read_part_headers as read_part_headers,
    )

    _compiled = False
else:
    try:
        from ._boundary_c import safe_len as safe_len
        from ._disposition_c import (
            content_disposition_filename as content_disposition_filename,
            parse_content_disposition as parse_content_disposition,
            parse_content_type as parse_content_type,
        )
        from ._headers_c import (
            parse_buffered_headers as parse_buffered_headers,
            parse_form_headers as parse_form_headers,
            read_part_headers as read_part_headers,
        )

        _compiled = True
    except ImportError:
        from ._boundary import safe_len as safe_len
        from ._disposition import (
            content_disposition_filename as content_disposition_filename,
            parse_content_disposition as parse_content_disposition,
            parse_content_type as parse_content_type,
        )
        from ._headers import (
            parse_buffered_headers as parse_buffered_headers,
            parse_form_headers as parse_form_headers,
            read_part_headers as read_part_headers,
        )

        _compiled = False

#: Whether the compiled twins are in use.
COMPILED: Final = _compiled

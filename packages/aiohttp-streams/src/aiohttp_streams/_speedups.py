# Strategy: the one place that chooses between the pure-Python stream reader
# and its compiled twin. A wheel built with the mypyc build hook (see
# hatch_build.py; off by default) also holds ``_reader_c`` and the
# ``_flow_c`` and ``_iterator_c`` it uses: the same typed source compiled by
# mypyc. They are used unless AIOHTTP_NO_EXTENSIONS is set to a non-empty
# value (aiohttp 3.x's switch), and the pure modules are the fallback when
# they are absent. The public names in ``aiohttp_streams`` come from here, so
# ``isinstance`` checks and subclasses see one class per name whichever build
# is in use. Type checkers always see the pure modules, the source of truth.
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Final

__all__ = (
    "COMPILED",
    "NO_EXTENSIONS",
    "EmptyStreamReader",
    "FlowControlStreamReader",
    "StreamReader",
)

#: True when AIOHTTP_NO_EXTENSIONS asks for pure Python.
NO_EXTENSIONS: Final = bool(os.environ.get("AIOHTTP_NO_EXTENSIONS"))

if TYPE_CHECKING or NO_EXTENSIONS:
    from ._reader import (
        EmptyStreamReader as EmptyStreamReader,
        FlowControlStreamReader as FlowControlStreamReader,
        StreamReader as StreamReader,
    )

    _compiled = False
else:
    try:
        from ._reader_c import (
            EmptyStreamReader as EmptyStreamReader,
            FlowControlStreamReader as FlowControlStreamReader,
            StreamReader as StreamReader,
        )

        _compiled = True
    except ImportError:
        from ._reader import (
            EmptyStreamReader as EmptyStreamReader,
            FlowControlStreamReader as FlowControlStreamReader,
            StreamReader as StreamReader,
        )

        _compiled = False
    else:
        # mypyc drops docstrings: give help() the classes' own back (those of
        # compiled methods are read-only and stay empty).
        from . import _reader

        StreamReader.__doc__ = _reader.StreamReader.__doc__
        EmptyStreamReader.__doc__ = _reader.EmptyStreamReader.__doc__
        FlowControlStreamReader.__doc__ = _reader.FlowControlStreamReader.__doc__

#: Whether the compiled twins are in use.
COMPILED: Final = _compiled

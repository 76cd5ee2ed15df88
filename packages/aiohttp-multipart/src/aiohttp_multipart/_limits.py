# Strategy: every bound of the reader in one place, as named defaults with the
# precedent they follow; each is a keyword argument of MultipartReader (and
# BodyPartReader where it applies), so a server can raise or lower it.
from __future__ import annotations

from typing import Final

__all__ = (
    "DEFAULT_MAX_PART_HEADER_SIZE",
    "DEFAULT_MAX_PART_HEADERS",
    "DEFAULT_MAX_PARTS",
    "DEFAULT_MAX_PART_SIZE",
    "DEFAULT_MAX_PREAMBLE_SIZE",
    "DEFAULT_MAX_EPILOGUE_SIZE",
    "DEFAULT_MAX_NESTING_DEPTH",
    "DEFAULT_MAX_LINE_SIZE",
    "DEFAULT_MAX_BODY_SIZE",
)

#: Bytes of one part's header block (all lines with their CRLFs, and the
#: boundary line's transport padding). 8190 is aiohttp's header line limit
#: since 2016 and what nginx buffers per line; a part rarely has more than a
#: Content-Disposition and a Content-Type.
DEFAULT_MAX_PART_HEADER_SIZE: Final = 8190

#: Header fields per part. RFC 7578 section 4.8 allows three
#: (Content-Type, Content-Disposition, Content-Transfer-Encoding); defnull's
#: ``multipart`` caps at 8, we leave room for mail-style bodies.
DEFAULT_MAX_PART_HEADERS: Final = 32

#: Parts per multipart body (per nesting level). Werkzeug's ``max_form_parts``
#: and Django's ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` both default to 1000.
DEFAULT_MAX_PARTS: Final = 1000

#: Bytes of one part's body; ``None`` means unbounded: parts are streamed
#: chunk by chunk, so only whoever stores them needs a bound.
DEFAULT_MAX_PART_SIZE: Final[int | None] = None

#: Bytes before the first boundary and after the closing one (RFC 2046
#: preamble and epilogue, ignored). Clients send none or one line; the cap
#: answers CVE-2024-53981 style floods (python-multipart GHSA-59g5-xgcq-4qw3).
DEFAULT_MAX_PREAMBLE_SIZE: Final = 65536
DEFAULT_MAX_EPILOGUE_SIZE: Final = 65536

#: multipart/* parts inside multipart/* parts. Each level re-scans the bytes
#: of the levels above it, so a deep nest costs quadratic time; mail clients
#: nest 3 or 4 deep.
DEFAULT_MAX_NESTING_DEPTH: Final = 16

#: Bytes of one line returned by ``BodyPartReader.readline()``; 2**16 is the
#: 2016 StreamReader line limit.
DEFAULT_MAX_LINE_SIZE: Final = 2**16

#: Bytes of the whole body, counted from its first byte: preamble, boundary
#: lines, part headers and bodies, nested bodies and epilogue (aiohttp#13652:
#: one budget however the bytes are spread). ``None`` means unbounded, as for
#: parts: a server usually bounds the request body before it gets here.
DEFAULT_MAX_BODY_SIZE: Final[int | None] = None

# Strategy: the HTTP/1.1 grammar (RFC 9110, RFC 9112) transcribed once into
# byte regexes compiled at import, plus the default limits.  The parsers
# validate a whole start line, or a whole header section, with one
# ``fullmatch`` (C speed); only when it fails do they walk the lines in
# Python to say exactly what was wrong.
from __future__ import annotations

import re
from typing import Final

# -- limits (each overridable by a keyword argument of the parsers) --------

# Same as aiohttp 2016: 8190 bytes per start line (nginx buffers 8 KiB,
# Apache's LimitRequestLine is 8190).
DEFAULT_MAX_LINE_SIZE: Final = 8190
# Same as aiohttp 2016 per field line (Apache LimitRequestFieldSize 8190).
DEFAULT_MAX_FIELD_SIZE: Final = 8190
# Number of field lines in one header (or trailer) section; aiohttp 3.x and
# Apache's LimitRequestFields (100) are the precedent.  2016 used the name
# for the byte size of the whole header section (32768).
DEFAULT_MAX_HEADERS: Final = 128
# What ``HttpPrefixParser`` reads before giving up on finding a method.
# 2016 used 12; the longest registered method (UPDATEREDIRECTREF) is 17.
DEFAULT_MAX_METHOD_SIZE: Final = 32
# Decompressed body bytes one ``Content-Encoding`` body may expand to
# (zip-bomb guard; 2016 had none).  1 GiB leaves large downloads working.
DEFAULT_MAX_DECOMPRESSED_SIZE: Final = 2**30
# zlib output is produced and handed on in pieces of at most this size, so
# one small compressed input never turns into one huge buffer.
DECOMPRESS_PIECE: Final = 2**16


def head_limit(max_line_size: int, max_headers: int, max_field_size: int) -> int:
    """The most bytes a start line plus header section can take, CRLFs included."""
    return max_line_size + 2 + max_headers * (max_field_size + 2) + 2


# -- RFC 9110 §5.6.2: token = 1*tchar -------------------------------------
# tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
#         "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
_TCHAR: Final = rb"[-!#$%&'*+.^_`|~0-9A-Za-z]"
TOKEN_RE: Final = re.compile(_TCHAR + rb"+")

# RFC 9110 §5.5: field-value = *field-content, built of field-vchar
# (VCHAR / obs-text) with SP / HTAB inside.  CR, LF, NUL and the other
# CTLs are never part of a value.
_FIELD_CHAR: Final = rb"[\t\x20-\x7e\x80-\xff]"
FIELD_VALUE_RE: Final = re.compile(_FIELD_CHAR + rb"*")
INVALID_VALUE_CHAR_RE: Final = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]")

# RFC 9112 §5: field-line = field-name ":" OWS field-value OWS; a section is
# *( field-line CRLF ).  No whitespace between name and colon, no obs-fold.
FIELD_SECTION_RE: Final = re.compile(rb"(?:" + _TCHAR + rb"+:" + _FIELD_CHAR + rb"*\r\n)*")
# One field line with the CRLF before it (see ``parse_fields``): groups are
# the name and the value without its leading and trailing OWS (the value
# ends at its last field-vchar; the greedy run backtracks to it).
_FIELD_VCHAR: Final = rb"[\x21-\x7e\x80-\xff]"
FIELD_LINE_RE: Final = re.compile(
    rb"\r\n(" + _TCHAR + rb"+):[ \t]*((?:" + _FIELD_CHAR + rb"*" + _FIELD_VCHAR + rb")?)"
    rb"[ \t]*(?=\r\n|\Z)"
)

# RFC 9112 §3: request-line = method SP request-target SP HTTP-version;
# request-target is made of visible characters (obs-text tolerated, as the
# 2016 parser decoded the target as UTF-8).
REQUEST_LINE_RE: Final = re.compile(
    rb"(" + _TCHAR + rb"+) ([\x21-\x7e\x80-\xff]+) HTTP/([0-9])\.([0-9])"
)

# RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
# reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ); a missing final SP is
# tolerated (h11 does too: it carries no information).
STATUS_LINE_RE: Final = re.compile(
    rb"HTTP/([0-9])\.([0-9]) ([1-9][0-9][0-9])(?: (" + _FIELD_CHAR + rb"*))?"
)
# Lax: any run of blanks as separator, any bytes but CR/LF in the reason.
STATUS_LINE_LAX_RE: Final = re.compile(
    rb"HTTP/([0-9])\.([0-9])[ \t]+([1-9][0-9][0-9])(?:[ \t]+([^\r\n]*))?[ \t]*"
)

# RFC 9112 §7.1: chunk-size [ chunk-ext ] CRLF, chunk-size = 1*HEXDIG,
# chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] ),
# chunk-ext-val = token / quoted-string (RFC 9110 §5.6.4).
# At most 16 hex digits: anything larger is not a size we could buffer.
_QUOTED: Final = rb'"(?:[\t \x21\x23-\x5b\x5d-\x7e\x80-\xff]|\\[\t \x21-\x7e\x80-\xff])*"'
_CHUNK_EXT: Final = (
    rb"(?:[ \t]*;[ \t]*" + _TCHAR + rb"+(?:[ \t]*=[ \t]*(?:" + _TCHAR + rb"+|" + _QUOTED + rb"))?)*"
)
CHUNK_LINE_RE: Final = re.compile(rb"([0-9A-Fa-f]{1,16})" + _CHUNK_EXT + rb"\r\n")

# RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
ABSOLUTE_FORM_RE: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
# RFC 9112 §3.2.3: authority-form = uri-host ":" port
AUTHORITY_FORM_RE: Final = re.compile(r"[^/?#@\s]+:[0-9]+")

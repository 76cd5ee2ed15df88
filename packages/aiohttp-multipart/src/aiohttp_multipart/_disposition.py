# Strategy: Content-Disposition is parsed by a small hand-written scanner over the
# header string (no split on ";": a ";" inside a quoted filename is data), following
# RFC 6266 section 4.1 for the grammar, RFC 8187/5987 for ``name*=charset'lang'pct``
# and RFC 2231 for continuations (``name*0``, ``name*1*``...). multipart/form-data
# senders follow the WHATWG/RFC 7578 habit instead: raw UTF-8, ``"`` sent as %22 and
# no backslash escapes, so for ``form-data`` quoted strings are read literally first
# and with RFC 9110 backslash escapes only if that does not parse. Problems are
# reported with the two 2016 warning classes, never with an exception: a bad header
# from a peer must not take the request down.
from __future__ import annotations

import codecs
import re
import warnings
from collections.abc import Mapping
from typing import Final
from urllib.parse import quote, unquote_to_bytes

from ._warnings import BadContentDispositionHeader, BadContentDispositionParam

__all__ = (
    "BadContentDispositionHeader",
    "BadContentDispositionParam",
    "parse_content_disposition",
    "content_disposition_filename",
    "format_content_disposition",
    "parse_content_type",
)

# Warnings quote at most this much of the header (same cut as aiohttp_errors).
_QUOTE_LIMIT: Final = 100

# RFC 9110 section 5.6.2: tchar.
_TOKEN: Final = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)
# RFC 8187 section 3.2.1: attr-char (token minus "*", "'", "%").
_ATTR_CHAR: Final = _TOKEN - frozenset("*'%")
_OWS: Final = " \t"
_PCT_RE: Final = re.compile(r"%[0-9A-Fa-f]{2}")
# WHATWG "multipart/form-data encoding algorithm": names and file names escape
# LF, CR and '"' as %0A, %0D, %22; RFC 7578 section 2 allows percent-encoding.
_FORM_UNESCAPE_RE: Final = re.compile(r"%(0[aAdD]|22)")
_FORM_ESCAPES: Final = {0x0A: "%0A", 0x0D: "%0D", 0x22: "%22"}
_CONTINUATION_RE: Final = re.compile(r"^(.+)\*(0|[1-9][0-9]*)(\*?)$")
# The grammar, compiled once (RFC 9110 sections 5.6.2 token, 5.6.4
# quoted-string, 5.6.6 parameters; RFC 6266 section 4.1).
_T: Final = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_TYPE_RE: Final = re.compile(rf"[ \t]*({_T})")
_MIME_RE: Final = re.compile(rf"[ \t]*({_T})/({_T})")
# A type with one plain parameter (a token name without "*", a token or a
# quoted string without escapes), as every multipart body's Content-Type
# is: one match, with the result the general scanner gives.
_T_NO_STAR: Final = _T.replace("*", "")
_MIME_ONE_PARAM_RE: Final = re.compile(
    rf"[ \t]*({_T})/({_T})[ \t]*;[ \t]*({_T_NO_STAR})[ \t]*=[ \t]*"
    rf'(?:"([^"\\]*)"|({_T}))[ \t]*'
)
_PARAM_ESC_RE: Final = re.compile(
    rf'[ \t]*;[ \t]*(?:({_T})[ \t]*=[ \t]*(?:"((?:[^"\\]|\\.)*)"|({_T})))?', re.DOTALL
)
# WHATWG form-data: no backslash escapes, the first '"' ends the value.
_PARAM_LIT_RE: Final = re.compile(rf'[ \t]*;[ \t]*(?:({_T})[ \t]*=[ \t]*(?:"([^"]*)"|({_T})))?')
_UNESCAPE_RE: Final = re.compile(r"\\(.)", re.DOTALL)
# What browsers send for nearly every part: parsed by one match, with the same
# result the general scanner gives (a '%' takes the general path).
_FORM_FAST_RE: Final = re.compile(r'form-data; name="([^"%]*)"(?:; filename="([^"%]*)")?')


def _cut(text: str) -> str:
    return repr(text[:_QUOTE_LIMIT]) + ("..." if len(text) > _QUOTE_LIMIT else "")


def _warn_header(header: str, reason: str) -> None:
    warnings.warn(
        BadContentDispositionHeader(f"{reason}: {_cut(header)}"),
        stacklevel=3,
    )


def _warn_param(item: str, reason: str) -> None:
    warnings.warn(
        BadContentDispositionParam(f"{reason}: {_cut(item)}"),
        stacklevel=3,
    )


def _decode_ext_value(value: str) -> str | None:
    """RFC 8187 section 3.2.1: ext-value = charset "'" [ language ] "'" value-chars."""
    if value.count("'") != 2:
        return None
    charset, _lang, chars = value.split("'")
    # 2016 accepted an empty charset as UTF-8; RFC 8187 requires one, but an empty
    # one has a single sensible meaning.
    charset = charset or "utf-8"
    if any(c not in _ATTR_CHAR for c in _PCT_RE.sub("", chars)):
        return None
    try:
        codecs.lookup(charset)
        return unquote_to_bytes(chars).decode(charset)
    except (LookupError, UnicodeDecodeError):
        return None


def _parse(header: str, *, escapes: bool) -> tuple[str, dict[str, str]] | str:
    """Parse the header; on a structural error return the reason as a ``str``."""
    m = _TYPE_RE.match(header)
    if m is None:
        return "disposition type is not a token"
    params = _parse_params(header, m.end(), escapes=escapes)
    if isinstance(params, str):
        return params
    return m.group(1).lower(), params


def _parse_params(header: str, pos: int, *, escapes: bool) -> dict[str, str] | str:
    """Parse ``*( OWS ";" OWS [ name OWS "=" OWS value ] ) OWS`` from ``pos``."""
    n = len(header)
    param_re = _PARAM_ESC_RE if escapes else _PARAM_LIT_RE
    params: dict[str, str] = {}
    while pos < n:
        m = param_re.match(header, pos)
        if m is None:
            if header[pos:].strip(_OWS):
                return f"malformed parameter at offset {pos}"
            break
        pos = m.end()
        key = m.group(1)
        if key is None:
            continue  # empty parameter: "a;;b" and a trailing ";" are harmless
        key = key.lower()
        quoted = m.group(3) is None
        value = m.group(2) if quoted else m.group(3)
        if quoted:
            if escapes:
                if "\\" in value:
                    value = _UNESCAPE_RE.sub(r"\1", value)
            elif "%" in value:
                value = _FORM_UNESCAPE_RE.sub(lambda x: chr(int(x.group(1), 16)), value)
        # RFC 6266 section 4.1: "Content-Disposition header field values with
        # multiple instances of the same parameter name are invalid."
        if key in params:
            return f"duplicate parameter {key!r}"
        if "*" not in key:
            params[key] = value
            continue
        item = m.group(0).lstrip(" \t;")
        cont = _CONTINUATION_RE.match(key)
        if cont is not None:
            if cont.group(3) and quoted:
                _warn_param(item, "an extended continuation must not be quoted")
                continue
            params[key] = value  # assembled by content_disposition_filename()
        elif key.endswith("*"):
            decoded = None if quoted else _decode_ext_value(value)
            if decoded is None:
                _warn_param(item, "malformed RFC 8187 extended value")
                continue
            params[key] = decoded
        else:
            params[key] = value
    return params


def parse_content_type(value: str | None) -> tuple[str, str, dict[str, str]] | None:
    """Split a Content-Type into ``(type, subtype, params)``; ``None`` if malformed.

    Unlike the 2016 ``parse_mimetype`` this honours quoted strings, so a
    boundary such as ``"a;b"`` survives (RFC 2046 section 5.1.1 allows it).
    """
    if not value:
        return None
    one = _MIME_ONE_PARAM_RE.fullmatch(value)
    if one is not None:
        type_, subtype, key, quoted, token = one.groups()
        return type_.lower(), subtype.lower(), {key.lower(): token if quoted is None else quoted}
    m = _MIME_RE.match(value)
    if m is None:
        return None
    params = _parse_params(value, m.end(), escapes=True)
    if isinstance(params, str):
        return None
    return m.group(1).lower(), m.group(2).lower(), params


def parse_content_disposition(header: str | None) -> tuple[str | None, dict[str, str]]:
    """Parse a Content-Disposition header into ``(disposition_type, params)``.

    The type and the parameter names are lower-cased. ``name*`` parameters
    (RFC 8187) are decoded; RFC 2231 continuations (``filename*0``...) are kept
    as they came and joined by :func:`content_disposition_filename`.
    A malformed header warns :class:`BadContentDispositionHeader` and returns
    ``(None, {})``; a malformed parameter warns :class:`BadContentDispositionParam`
    and is left out.
    """
    if not header:
        return None, {}
    fast = _FORM_FAST_RE.fullmatch(header)
    if fast is not None:
        name, filename = fast.groups()
        params = {"name": name}
        if filename is not None:
            params["filename"] = filename
        return "form-data", params
    parsed = _parse_general(header)
    if isinstance(parsed, str):
        _warn_header(header, parsed)
        return None, {}
    return parsed


def _parse_general(header: str) -> tuple[str, dict[str, str]] | str:
    """The whole grammar; on a structural error the reason as a ``str``."""
    form_data = header.lstrip(_OWS)[:9].lower() == "form-data"
    parsed = _parse(header, escapes=not form_data)
    if isinstance(parsed, str) and form_data:
        # An RFC 2616-style sender ("a\"b") rather than a WHATWG one ("a%22b").
        parsed = _parse(header, escapes=True)
    return parsed


def content_disposition_filename(params: Mapping[str, str], name: str = "filename") -> str | None:
    """Return the file name (or another parameter ``name``) from parsed params.

    Preference (RFC 6266 section 4.3): ``filename*``, then RFC 2231 continuations
    joined in numeric order (``*0``, ``*1``, ... ``*10``), then plain ``filename``.
    """
    if not params:
        return None
    ext = name + "*"
    if ext in params:
        return params[ext]
    joined = _join_continuations(params, name)
    if joined is not None:
        return joined
    return params.get(name)


def _join_continuations(params: Mapping[str, str], name: str) -> str | None:
    if name + "*0" not in params and name + "*0*" not in params:
        return None  # the common case: no RFC 2231 sections at all
    segments: dict[int, tuple[bool, str]] = {}
    for key, value in params.items():
        m = _CONTINUATION_RE.match(key)
        if m is not None and m.group(1) == name:
            segments[int(m.group(2))] = (bool(m.group(3)), value)
    charset = "utf-8"
    raw = bytearray()
    # RFC 2231 section 3: sections are numbered from 0 without gaps; anything
    # after a gap is ignored (like 2016 did), and numbers sort as numbers.
    for num in range(len(segments)):
        if num not in segments:
            break
        encoded, value = segments[num]
        if encoded:
            if num == 0:
                if value.count("'") != 2:
                    _warn_param(f"{name}*0*={value}", "malformed RFC 2231 first section")
                    return None
                charset, _lang, value = value.split("'")
                charset = charset or "utf-8"
            raw += unquote_to_bytes(value)
        else:
            raw += value.encode("utf-8")
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError):
        _warn_param(f"{name}*", f"continuations do not decode as {charset!r}")
        return None


def format_content_disposition(disptype: str, params: Mapping[str, str]) -> str:
    """Build a Content-Disposition value (writer side).

    ``form-data`` follows RFC 7578 section 4.2 and the WHATWG encoding that
    browsers use: quoted, raw UTF-8, with ``"``, CR and LF percent-escaped, and
    never ``filename*`` ("The encoding method described in [RFC5987] ... MUST
    NOT be used."). Other types follow RFC 6266: a quoted string when the value
    is printable ASCII, else ``name*=utf-8''...`` (with a percent-encoded
    ``filename`` fallback after it for old receivers).
    """
    if not disptype or not set(disptype) <= _TOKEN:
        raise ValueError(f"bad content disposition type {disptype!r}")
    parts = [disptype]
    form_data = disptype.lower() == "form-data"
    for key, value in params.items():
        if not key or not set(key) <= _TOKEN:
            raise ValueError(f"bad content disposition parameter {key!r}={value!r}")
        if form_data:
            parts.append(f'{key}="{value.translate(_FORM_ESCAPES)}"')
        elif value.isascii() and value.isprintable():
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'{key}="{escaped}"')
        else:
            pct = quote(value, safe="", encoding="utf-8")
            parts.append(f"{key}*=utf-8''{pct}")
            if key == "filename":
                # A fallback for receivers without RFC 8187; it goes second
                # because mail parsers (Python's email) take the first one.
                parts.append(f'{key}="{pct}"')
    return "; ".join(parts)

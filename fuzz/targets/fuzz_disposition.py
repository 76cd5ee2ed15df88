"""Fuzz target: Content-Disposition parsing (RFC 6266/8187/2231/7578) and parse_mimetype.

Oracle: ``parse_content_disposition`` never raises (a malformed header or
parameter only warns) and returns a ``(type or None, dict)``;
``content_disposition_filename`` returns ``str | None``; and the multipart
writer's own Content-Disposition output parses back to the same values.
"""

from __future__ import annotations

import sys
import warnings

import atheris
from _harness import instrument

from aiohttp_multipart import (
    BadContentDispositionHeader,
    BadContentDispositionParam,
    BodyPartWriter,
    content_disposition_filename,
    parse_content_disposition,
)


def TestOneInput(data: bytes) -> None:  # noqa: N802 -- atheris' name
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BadContentDispositionHeader)
        warnings.simplefilter("ignore", BadContentDispositionParam)
        if mode == 0:
            header = fdp.ConsumeBytes(fdp.remaining_bytes()).decode("latin-1")
        elif mode == 1:
            header = fdp.ConsumeUnicodeNoSurrogates(len(data))
        else:
            name = fdp.ConsumeUnicodeNoSurrogates(40)
            filename = fdp.ConsumeUnicodeNoSurrogates(40)
            if "%" in name + filename:
                return  # documented: form-data reads %22/%0D/%0A as '"', CR, LF
            part = BodyPartWriter(b"")
            try:
                part.set_content_disposition("form-data", name=name, filename=filename)
            except ValueError:
                return  # documented: the writer refuses what it cannot encode
            disptype, params = parse_content_disposition(part.headers["Content-Disposition"])
            assert disptype == "form-data", (disptype, params)
            assert content_disposition_filename(params, "name") == name, (name, params)
            assert content_disposition_filename(params) == filename, (filename, params)
            return
        disptype, params = parse_content_disposition(header)
        assert disptype is None or isinstance(disptype, str)
        assert isinstance(params, dict)
        for key in ("filename", "name", *params):
            got = content_disposition_filename(params, key)
            assert got is None or isinstance(got, str)


def main() -> None:
    instrument()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

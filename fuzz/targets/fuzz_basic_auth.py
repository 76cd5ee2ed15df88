"""Fuzz target: BasicAuth.decode (aiohttp meta-package) on any header value, and round trips.

Oracle: decode returns a BasicAuth or raises ValueError (documented), never
binascii.Error or UnicodeError; encode() of any valid credentials decodes
back to the same login and password.
"""

from __future__ import annotations

import sys

import atheris
from _harness import instrument

from aiohttp import BasicAuth


def TestOneInput(data: bytes) -> None:  # noqa: N802 -- atheris' name
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    encoding = ("latin1", "utf-8", "ascii")[fdp.ConsumeIntInRange(0, 2)]
    if mode == 2:
        login = fdp.ConsumeUnicodeNoSurrogates(30).replace(":", "")
        password = fdp.ConsumeUnicodeNoSurrogates(30)
        try:
            header = BasicAuth(login, password, encoding="utf-8").encode()
        except ValueError:
            return
        auth = BasicAuth.decode(header, encoding="utf-8")
        assert (auth.login, auth.password) == (login, password), (auth, login, password)
        return
    if mode == 0:
        header = "Basic " + fdp.ConsumeUnicodeNoSurrogates(len(data))
    else:
        header = fdp.ConsumeUnicodeNoSurrogates(len(data))
    try:
        auth = BasicAuth.decode(header, encoding=encoding)
    except ValueError:
        return
    assert isinstance(auth, BasicAuth) and ":" not in auth.login


def main() -> None:
    instrument()
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

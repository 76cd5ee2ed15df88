# Strategy: a named tuple, as in 2016, so ``login, password, enc = auth``
# keeps working; decoding is strict (RFC 7617 credentials are
# ``base64(user-id ":" password)``) and every failure is a ValueError that
# says what was wrong, never a binascii or Unicode error from inside.
from __future__ import annotations

import base64
import binascii
from typing import NamedTuple

__all__ = ("BasicAuth",)


class _BasicAuthFields(NamedTuple):
    login: str
    password: str
    encoding: str


class BasicAuth(_BasicAuthFields):
    """HTTP basic authentication credentials (RFC 7617).

    :param login: the user id; may not contain ``":"``.
    :param password: the password (may be empty).
    :param encoding: how to encode credentials to bytes (``latin1`` as in 2016).
    """

    def __new__(cls, login: str, password: str = "", encoding: str = "latin1") -> BasicAuth:
        if login is None:
            raise ValueError("None is not allowed as login value")
        if password is None:
            raise ValueError("None is not allowed as password value")
        if ":" in login:
            raise ValueError('A ":" is not allowed in login (RFC 7617 section 2)')
        return super().__new__(cls, login, password, encoding)

    @classmethod
    def decode(cls, auth_header: str, encoding: str = "latin1") -> BasicAuth:
        """Parse an ``Authorization: Basic ...`` header value."""
        try:
            scheme, token = auth_header.strip().split(" ", 1)
        except ValueError:
            raise ValueError("Could not parse authorization header") from None
        if scheme.lower() != "basic":
            raise ValueError(f"Unknown authorization method {scheme[:20]!r}")
        try:
            raw = base64.b64decode(token.strip().encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise ValueError("Invalid base64 encoding in authorization header") from None
        try:
            decoded = raw.decode(encoding)
        except UnicodeDecodeError:
            raise ValueError(f"Credentials are not valid {encoding}") from None
        login, sep, password = decoded.partition(":")
        if not sep:
            raise ValueError('Credentials have no ":" between login and password')
        return cls(login, password, encoding=encoding)

    def encode(self) -> str:
        """The ``Authorization`` header value: ``"Basic <base64>"``."""
        creds = f"{self.login}:{self.password}".encode(self.encoding)
        return "Basic " + base64.b64encode(creds).decode(self.encoding)

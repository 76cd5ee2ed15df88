# Strategy: collect fields first, decide the encoding last. Any file, explicit
# filename, content type or transfer encoding makes the form multipart (built
# with aiohttp-multipart's writer); otherwise it is urlencoded, as 2016 did.
from __future__ import annotations

import io
import os
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from aiohttp_multipart import MultipartWriter
from aiohttp_parsers import hdrs

__all__ = ("FormData", "FieldValue", "FormFields")

#: What a field's value may be: text, bytes, or a (binary or text) file object.
FieldValue = str | bytes | bytearray | memoryview | io.IOBase
#: What ``FormData(fields)`` and ``add_fields`` accept.
FormFields = Mapping[str, FieldValue] | Iterable[tuple[str, FieldValue] | io.IOBase] | io.IOBase


def _guess_filename(obj: object, default: str) -> str:
    name = getattr(obj, "name", None)
    if isinstance(name, str) and name and not (name.startswith("<") and name.endswith(">")):
        return os.path.basename(name)
    return default


class FormData:
    """Fields of an HTML form, encoded as ``application/x-www-form-urlencoded``
    or, as soon as a file or part option is involved, ``multipart/form-data``.

    :param fields: a mapping, ``(name, value)`` pairs, or file objects.
    """

    def __init__(self, fields: FormFields = ()) -> None:
        self._writer = MultipartWriter("form-data")
        self._fields: list[tuple[dict[str, str], dict[str, str], FieldValue]] = []
        self._is_multipart = False
        if isinstance(fields, Mapping):
            self.add_fields(*fields.items())
        elif isinstance(fields, io.IOBase):
            self.add_fields(fields)
        else:
            self.add_fields(*fields)

    @property
    def is_multipart(self) -> bool:
        """Whether the form will be sent as ``multipart/form-data``."""
        return self._is_multipart

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` of the encoded form (with the boundary if multipart)."""
        if self._is_multipart:
            return self._writer.headers[hdrs.CONTENT_TYPE]
        return "application/x-www-form-urlencoded"

    def add_field(
        self,
        name: str,
        value: FieldValue,
        *,
        content_type: str | None = None,
        filename: str | None = None,
        content_transfer_encoding: str | None = None,
    ) -> None:
        """Add one field; a file value, filename or option makes the form multipart."""
        if filename is not None and not isinstance(filename, str):
            raise TypeError(f"filename must be a str, not {type(filename).__name__}")
        if isinstance(value, io.IOBase):
            self._is_multipart = True
            if filename is None:
                filename = _guess_filename(value, name)
        elif isinstance(value, (bytes, bytearray, memoryview)):
            if filename is None and content_transfer_encoding is None:
                filename = name  # 2016: raw bytes are uploaded as a file
        elif not isinstance(value, str):
            raise TypeError(f"field {name!r}: unsupported value type {type(value).__name__}")
        disposition = {"name": name}
        if filename is not None:
            disposition["filename"] = filename
            self._is_multipart = True
        headers: dict[str, str] = {}
        if content_type is not None:
            headers[hdrs.CONTENT_TYPE] = content_type
            self._is_multipart = True
        if content_transfer_encoding is not None:
            headers[hdrs.CONTENT_TRANSFER_ENCODING] = content_transfer_encoding
            self._is_multipart = True
        self._fields.append((disposition, headers, value))

    def add_fields(self, *fields: tuple[str, FieldValue] | io.IOBase) -> None:
        """Add ``(name, value)`` pairs or file objects (named after their file)."""
        for field in fields:
            if isinstance(field, io.IOBase):
                self.add_field(_guess_filename(field, "unknown"), field)
            else:
                try:
                    name, value = field
                except (TypeError, ValueError):
                    raise TypeError(
                        f"only io.IOBase objects and (name, value) pairs are accepted, "
                        f"got {field!r}"
                    ) from None
                self.add_field(name, value)

    def __call__(self, encoding: str = "utf-8") -> bytes | MultipartWriter:
        """The encoded form: ``bytes`` if urlencoded, else a :class:`MultipartWriter`."""
        if not self._is_multipart:
            pairs = []
            for disposition, _, value in self._fields:
                if isinstance(value, (bytes, bytearray, memoryview)):
                    value = bytes(value)
                assert isinstance(value, (str, bytes))
                pairs.append((disposition["name"], value))
            return urlencode(pairs, doseq=True, encoding=encoding).encode(encoding)
        writer = MultipartWriter("form-data", boundary=self._writer.boundary.decode("ascii"))
        for disposition, headers, value in self._fields:
            part = writer.append(value, headers)
            part.set_content_disposition("form-data", **disposition)
            part.headers.pop(hdrs.CONTENT_LENGTH, None)
        return writer

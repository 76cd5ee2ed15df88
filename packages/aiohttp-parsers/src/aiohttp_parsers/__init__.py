"""The generator-based stream parser framework and HTTP/1.x protocol of aiohttp's 2016
``aiohttp.parsers``, ``aiohttp.protocol`` and ``aiohttp.hdrs`` modules."""

__all__ = (
    "__version__",
    "hdrs",
    # parsers
    "ParserGenerator",
    "ParserOutput",
    "Parser",
    "ParserBuffer",
    "LinesParser",
    "ChunksParser",
    "StreamParser",
    "StreamProtocol",
    "StreamWriter",
    # protocol
    "HttpVersion",
    "HttpVersion10",
    "HttpVersion11",
    "RawRequestMessage",
    "RawResponseMessage",
    "HttpPrefixParser",
    "HttpRequestParser",
    "HttpResponseParser",
    "HttpPayloadParser",
    "DeflateBuffer",
    "HttpMessage",
    "Request",
    "Response",
    # helpers
    "parse_mimetype",
    "reify",
)

from . import hdrs as hdrs
from .__about__ import __version__ as __version__
from ._buffer import (
    ChunksParser as ChunksParser,
    LinesParser as LinesParser,
    Parser as Parser,
    ParserBuffer as ParserBuffer,
    ParserGenerator as ParserGenerator,
    ParserOutput as ParserOutput,
)
from ._helpers import parse_mimetype as parse_mimetype, reify as reify
from ._http_parser import (
    HttpPrefixParser as HttpPrefixParser,
    HttpRequestParser as HttpRequestParser,
    HttpResponseParser as HttpResponseParser,
    HttpVersion as HttpVersion,
    HttpVersion10 as HttpVersion10,
    HttpVersion11 as HttpVersion11,
    RawRequestMessage as RawRequestMessage,
    RawResponseMessage as RawResponseMessage,
)
from ._http_writer import (
    HttpMessage as HttpMessage,
    Request as Request,
    Response as Response,
)
from ._payload import DeflateBuffer as DeflateBuffer, HttpPayloadParser as HttpPayloadParser
from ._stream import (
    StreamParser as StreamParser,
    StreamProtocol as StreamProtocol,
    StreamWriter as StreamWriter,
)

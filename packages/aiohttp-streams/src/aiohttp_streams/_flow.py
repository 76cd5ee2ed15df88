"""The object flow-controlled streams pause and resume, and the logic that does it."""

# Strategy: a flow-controlled stream owns a _FlowController that compares the
# buffered size with the limit after every change: above it, the target's
# transport stops reading; below it, reading resumes. One extra rule keeps a
# consumer from deadlocking: before any coroutine waits for more data, reading
# is resumed, whatever the buffered size (a paused transport would never
# deliver the data being waited for).

from __future__ import annotations

from typing import Protocol

__all__ = ("FlowControlTarget",)


class _ReadingTransport(Protocol):
    """What flow control needs from a transport: ``asyncio.ReadTransport`` fits."""

    def pause_reading(self) -> None: ...

    def resume_reading(self) -> None: ...


class FlowControlTarget(Protocol):
    """The ``stream`` argument of the ``FlowControl*`` classes.

    In 2016 this was always an ``aiohttp.parsers.StreamParser``; any object with
    these two attributes works (``aiohttp_parsers.StreamParser`` is one).

    .. attribute:: transport

       An ``asyncio.ReadTransport`` (anything with ``pause_reading()`` and
       ``resume_reading()``), or ``None`` while there is no connection.

    .. attribute:: paused

       ``True`` while reading is paused; the flow-controlled stream sets it
       when it pauses or resumes the transport.
    """

    @property
    def transport(self) -> _ReadingTransport | None: ...

    paused: bool


class _FlowController:
    """Pause ``target``'s transport while more than ``limit`` bytes are buffered."""

    __slots__ = ("_target", "_limit")

    def __init__(self, target: FlowControlTarget, limit: int) -> None:
        self._target = target
        self._limit = limit
        # As in 2016: a new stream starts with reading enabled, since the
        # previous consumer of this connection may have left it paused.
        self.resume()

    def check(self, size: int) -> None:
        """Pause above the limit, resume below it (equal: leave as is)."""
        paused = self._target.paused
        if paused:
            if size < self._limit:
                self.resume()
        elif size > self._limit:
            self._pause()

    def resume(self) -> None:
        target = self._target
        if not target.paused:
            return
        transport = target.transport
        if transport is None:
            return
        # Clear the flag first: resume_reading() may deliver data at once, and
        # the stream may pause again from inside it; that must stick.
        target.paused = False
        try:
            transport.resume_reading()
        except (AttributeError, NotImplementedError):
            # 2016 precedent: transports that cannot pause (e.g. pipes on
            # some platforms) simply are not flow-controlled.
            target.paused = True

    def _pause(self) -> None:
        target = self._target
        transport = target.transport
        if transport is None:
            return
        target.paused = True
        try:
            transport.pause_reading()
        except (AttributeError, NotImplementedError):
            target.paused = False

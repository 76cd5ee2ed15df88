# Strategy: a signal is a list of receivers (so users connect with
# ``append``/``insert``/``remove`` as in 2016); ``send`` calls each in order
# and awaits those that return an awaitable. In debug mode an owner's
# pre/post signals bracket every send with a shared ordinal, so a tracer can
# pair the two. ``copy``/``sort`` stay forbidden: the order of receivers is
# the contract.
from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from itertools import count
from typing import Generic, ParamSpec, Protocol

__all__ = ("BaseSignal", "Signal", "DebugSignal", "PreSignal", "PostSignal", "SignalOwner")

_P = ParamSpec("_P")


class BaseSignal(list[Callable[_P, "Awaitable[object] | object"]], Generic[_P]):
    """A list of receivers called in order by ``send``."""

    async def _send(self, *args: _P.args, **kwargs: _P.kwargs) -> None:
        for receiver in self:
            result = receiver(*args, **kwargs)
            if inspect.isawaitable(result):
                await result

    def copy(self) -> BaseSignal[_P]:
        """Forbidden: a signal's receivers are not meant to be duplicated."""
        raise NotImplementedError("copy() is forbidden")

    def sort(self, *args: object, **kwargs: object) -> None:
        """Forbidden: receivers run in the order they were connected."""
        raise NotImplementedError("sort() is forbidden")


class DebugSignal(BaseSignal[...]):
    """A signal whose receivers get ``(ordinal, name, *args, **kwargs)``."""

    async def send(self, ordinal: int | None, name: str, *args: object, **kwargs: object) -> None:
        """Call every receiver with the ordinal and name of the traced send."""
        await self._send(ordinal, name, *args, **kwargs)


class PreSignal(DebugSignal):
    """Fired before a :class:`Signal` sends, in debug mode; hands out ordinals."""

    def __init__(self) -> None:
        super().__init__()
        self._counter = count(1)

    def ordinal(self) -> int:
        """The next ordinal: 1, 2, 3, ... one per traced send."""
        return next(self._counter)


class PostSignal(DebugSignal):
    """Fired after a :class:`Signal` sent, in debug mode, with the same ordinal."""


class SignalOwner(Protocol):
    """What a :class:`Signal` needs from its owner (an application in 2016)."""

    @property
    def debug(self) -> bool: ...

    @property
    def on_pre_signal(self) -> PreSignal: ...

    @property
    def on_post_signal(self) -> PostSignal: ...


class Signal(BaseSignal[_P]):
    """Coroutine-based signal: connect receivers with any list method and fire
    them with ``await signal.send(...)``.

    :param app: the owner; when its ``debug`` is true, each send is bracketed
        by ``app.on_pre_signal`` and ``app.on_post_signal``.
    """

    def __init__(self, app: SignalOwner) -> None:
        super().__init__()
        self._app = app
        cls = type(self)
        self._name = f"{cls.__module__}:{cls.__qualname__}"

    async def send(self, *args: _P.args, **kwargs: _P.kwargs) -> None:
        """Call every receiver in order, awaiting those that return awaitables."""
        if not self._app.debug:
            await self._send(*args, **kwargs)
            return
        ordinal = self._app.on_pre_signal.ordinal()
        await self._app.on_pre_signal.send(ordinal, self._name, *args, **kwargs)
        await self._send(*args, **kwargs)
        await self._app.on_post_signal.send(ordinal, self._name, *args, **kwargs)

"""The 2016 ``aiohttp.signals`` module: ``Signal``, ``DebugSignal``,
``PreSignal`` and ``PostSignal``."""

__all__ = ("Signal", "DebugSignal", "PreSignal", "PostSignal", "SignalOwner")

from ._signals import (
    DebugSignal as DebugSignal,
    PostSignal as PostSignal,
    PreSignal as PreSignal,
    Signal as Signal,
    SignalOwner as SignalOwner,
)

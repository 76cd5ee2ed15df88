# The 2016 loop helpers, kept because old code calls them.
from __future__ import annotations

import asyncio
from asyncio import ensure_future as ensure_future
from typing import TypeVar

__all__ = ("create_future", "ensure_future")

_T = TypeVar("_T")


def create_future(loop: asyncio.AbstractEventLoop | None = None) -> asyncio.Future[_T]:
    """A new future bound to ``loop`` (the running loop by default)."""
    return (loop or asyncio.get_running_loop()).create_future()

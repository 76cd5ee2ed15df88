"""``aiohttp.signals``: receivers in order, awaited, traced in debug mode."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from aiohttp.signals import DebugSignal, PostSignal, PreSignal, Signal


@dataclass
class App:
    debug: bool = False
    on_pre_signal: PreSignal = field(default_factory=PreSignal)
    on_post_signal: PostSignal = field(default_factory=PostSignal)


@pytest.mark.asyncio
async def test_receivers_run_in_order_and_coroutines_are_awaited() -> None:
    calls: list[tuple[str, int, str]] = []
    signal: Signal[[int, str]] = Signal(App())

    def plain(n: int, s: str) -> None:
        calls.append(("plain", n, s))

    async def coro(n: int, s: str) -> None:
        calls.append(("coro", n, s))

    signal.append(coro)
    signal.append(plain)
    signal.insert(0, plain)
    await signal.send(1, "x")
    assert calls == [("plain", 1, "x"), ("coro", 1, "x"), ("plain", 1, "x")]


@pytest.mark.asyncio
async def test_receiver_exception_stops_the_send() -> None:
    seen: list[int] = []
    signal: Signal[[]] = Signal(App())

    def boom() -> None:
        raise ZeroDivisionError

    signal.extend([lambda: seen.append(1), boom, lambda: seen.append(2)])
    with pytest.raises(ZeroDivisionError):
        await signal.send()
    assert seen == [1]


@pytest.mark.asyncio
async def test_debug_mode_brackets_each_send_with_pre_and_post() -> None:
    app = App(debug=True)
    trace: list[tuple[str, int | None, str, tuple[object, ...]]] = []

    async def pre(ordinal: int | None, name: str, *args: object) -> None:
        trace.append(("pre", ordinal, name, args))

    def post(ordinal: int | None, name: str, *args: object) -> None:
        trace.append(("post", ordinal, name, args))

    app.on_pre_signal.append(pre)
    app.on_post_signal.append(post)
    signal: Signal[[str]] = Signal(app)
    signal.append(lambda s: trace.append(("recv", None, s, ())))
    await signal.send("a")
    await signal.send("b")
    name = "aiohttp._signals:Signal"
    assert trace == [
        ("pre", 1, name, ("a",)),
        ("recv", None, "a", ()),
        ("post", 1, name, ("a",)),
        ("pre", 2, name, ("b",)),
        ("recv", None, "b", ()),
        ("post", 2, name, ("b",)),
    ]


@pytest.mark.asyncio
async def test_no_tracing_without_debug() -> None:
    app = App(debug=False)
    app.on_pre_signal.append(lambda *a: pytest.fail("pre signal fired"))
    signal: Signal[[]] = Signal(app)
    await signal.send()


def test_pre_signal_ordinals_count_up() -> None:
    pre = PreSignal()
    assert [pre.ordinal(), pre.ordinal(), pre.ordinal()] == [1, 2, 3]


@pytest.mark.parametrize("signal", [Signal(App()), PreSignal(), PostSignal(), DebugSignal()])
def test_copy_and_sort_are_forbidden(signal: list[object]) -> None:
    with pytest.raises(NotImplementedError):
        signal.copy()
    with pytest.raises(NotImplementedError):
        signal.sort()
    assert isinstance(signal, list)

"""Where W5's time goes: the figures behind "W5, pure Python" in README.md.

Usage: python benchmarks/profile_w5.py [--rounds N]

Runs ours, multipart (defnull) and the ``floor`` row of the suite (each
piece awaited from the stream and searched once, nothing parsed) in one
process, interleaved, on the W5 form with files of 0, 1 and 8 MiB. Each
figure is the median over the rounds of the mean of several runs. From the
time each parser spends over the floor it derives:

- the fixed cost: the whole form with empty files (12 parts, each in the
  first piece);
- the per-piece cost: the growth from 1 MiB to 8 MiB files, over the 224
  more pieces, where every piece is the middle of a file;
- the edge cost: what the 1 MiB form costs beyond the fixed and per-piece
  costs (the copies where a file starts and ends inside a piece).

Also: ``bytes.find`` of the delimiter over one 64 KiB piece of the files,
so the floor splits into the search and the event loop's hand-off.
"""

from __future__ import annotations

import argparse
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from suite import (
    impls,  # noqa: E402
    inputs as I,  # noqa: E402, I001, N812
)
from suite.interleave import interleaved_medians  # noqa: E402

ROWS = {"floor": impls.w5_floor, "ours": impls.w5_ours, "multipart": impls.w5_multipart}


def medians(file_mib: int, rounds: int) -> dict[str, float]:
    """Median microseconds per run of each row, rows interleaved per round."""
    data, _ = I.w5_form(file_mib)
    runs = {name: make(data) for name, make in ROWS.items()}
    return interleaved_medians(runs, rounds, reps=10 if file_mib else 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    by_size = {mib: medians(mib, rounds) for mib in (0, 1, 8)}
    over = {mib: {k: v - m["floor"] for k, v in m.items()} for mib, m in by_size.items()}
    pieces_1 = len(I.w5_form(1)[0])
    pieces_8 = len(I.w5_form(8)[0])
    m8 = by_size[8]
    print(f"W5 (8 MiB files, {pieces_8} pieces): floor {m8['floor'] / 1e3:.2f} ms")
    for name in ("ours", "multipart"):
        fixed = over[0][name]
        per_piece = (over[8][name] - over[1][name]) / (pieces_8 - pieces_1)
        edges = over[1][name] - fixed - per_piece * (pieces_1 - len(I.w5_form(0)[0]))
        print(
            f"{name:10s} {m8[name] / 1e3:.2f} ms = floor + {over[8][name] / 1e3:.3f} ms: "
            f"fixed {fixed:.0f} us, per piece {per_piece:.2f} us, edges {edges:.0f} us"
        )
    ahead = m8["multipart"] / m8["ours"]
    ceiling = m8["multipart"] / m8["floor"]
    print(f"multipart / ours: {ahead:.3f}x; multipart / floor: {ceiling:.3f}x (the most possible)")
    piece = I.w5_form(1)[0][8]
    delim = b"\r\n--" + I.BOUNDARY.encode()
    n = 2000
    find_us = min(timeit.repeat(lambda: piece.find(delim), number=n, repeat=5)) / n * 1e6
    find_ms = find_us * pieces_8 / 1e3
    handoff_ms = m8["floor"] / 1e3 - find_ms
    print(
        f"bytes.find over one 64 KiB piece: {find_us:.1f} us, {find_ms:.2f} ms for all; "
        f"the rest of the floor, the hand-off: {handoff_ms:.2f} ms"
    )


if __name__ == "__main__":
    main()

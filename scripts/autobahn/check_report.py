"""Judge an Autobahn|Testsuite fuzzingclient report (``index.json``).

A case passes when its ``behavior`` is OK, NON-STRICT or INFORMATIONAL and
its ``behaviorClose`` is OK or INFORMATIONAL. Prints counts per outcome and
the failing cases; exits 1 if any case fails or none ran.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter

PASS_BEHAVIOR = {"OK", "NON-STRICT", "INFORMATIONAL"}
PASS_CLOSE = {"OK", "INFORMATIONAL"}


def _case_key(case_id: str) -> tuple[int, ...]:
    return tuple(int(p) for p in case_id.split(".") if p.isdigit())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("index", help="path to reports/index.json")
    parser.add_argument("--elapsed", type=int, default=None, help="seconds, for the summary")
    args = parser.parse_args(argv)
    with open(args.index, encoding="utf-8") as f:
        index = json.load(f)
    behaviors: Counter[str] = Counter()
    closes: Counter[str] = Counter()
    failed: list[str] = []
    total = 0
    for agent, cases in index.items():
        for case_id in sorted(cases, key=_case_key):
            result = cases[case_id]
            total += 1
            behavior = result.get("behavior", "?")
            close = result.get("behaviorClose", "?")
            behaviors[behavior] += 1
            closes[close] += 1
            if behavior not in PASS_BEHAVIOR or close not in PASS_CLOSE:
                failed.append(f"{agent} {case_id}: behavior={behavior} close={close}")
    summary = ", ".join(f"{k}={v}" for k, v in sorted(behaviors.items()))
    close_summary = ", ".join(f"{k}={v}" for k, v in sorted(closes.items()))
    print(f"autobahn: {total} cases; behavior: {summary}; close: {close_summary}")
    for line in failed:
        print(f"autobahn: FAILED {line}")
    if args.elapsed is not None:
        print(f"autobahn: wall time {args.elapsed} s")
    if not total:
        print("autobahn: no case ran", file=sys.stderr)
        return 1
    if failed:
        print(f"autobahn: {len(failed)} of {total} cases failed", file=sys.stderr)
        return 1
    print(f"autobahn: all {total} cases passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

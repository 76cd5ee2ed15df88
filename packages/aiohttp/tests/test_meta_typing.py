"""Downstream typing: user code checked by ``mypy --strict`` against the
installed packages, as a user's CI would (see examples/typing/README.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
CASES = REPO / "examples" / "typing"
EXPECTED = re.compile(r"#\s*E:\s*([a-z-]+)")
REPORTED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[a-z-]+)\]$")


def run_mypy(tmp_path: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    # A config of our own, and a cwd outside the repo, so mypy sees only the
    # installed packages, exactly as a downstream project would.
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nstrict = True\n")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(config),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            "--show-error-codes",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )


def expected_errors(path: Path) -> set[tuple[int, str]]:
    found = set()
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = EXPECTED.search(line)
        if match:
            found.add((number, match.group(1)))
    return found


def test_consumer_code_passes_strict(tmp_path: Path) -> None:
    consumers = sorted(CASES.glob("*.py"))
    assert len(consumers) >= 2
    result = run_mypy(tmp_path, *consumers)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", sorted((CASES / "negative").glob("*.py")), ids=lambda p: p.stem)
def test_negative_cases_fail_exactly_where_marked(tmp_path: Path, case: Path) -> None:
    result = run_mypy(tmp_path, case)
    assert result.returncode == 1, result.stdout + result.stderr
    reported = set()
    for line in result.stdout.splitlines():
        match = REPORTED.match(line.strip())
        if match:
            reported.add((int(match["line"]), match["code"]))
    expected = expected_errors(case)
    assert expected, f"{case.name} marks no expected errors"
    assert reported == expected, result.stdout

"""A person's view of the showcase: headless Chromium uploads a file through
the page's form and talks through the WebSocket echo box.

Needs Debian's ``chromium`` (``.ci/run`` installs it); Playwright drives the
system browser, it never downloads one.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (the CI script installs it)"
)
# Flags for a root sandbox on a closed network (see the machine notes).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def showcase(tmp_path: Path) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "aiohttp", "--port", "0", "--upload-dir", str(tmp_path / "up")],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        match = re.search(r"(http://127\.0\.0\.1:\d+/)", proc.stdout.readline())
        assert match
        yield match[1]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)  # also closes the stdout pipe


def test_upload_form_and_websocket_echo_in_chromium(showcase: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    upload = tmp_path / "photo.bin"
    data = os.urandom(200_000)
    upload.write_bytes(data)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(showcase)
            expect(page.locator("h1")).to_have_text("aiohttp pieces showcase")

            page.set_input_files("#upload-file", str(upload))
            page.click("#upload-button")
            row = page.locator(".upload-row").first
            expect(row).to_be_visible(timeout=15_000)
            cells = row.locator("td")
            expect(cells.nth(0)).to_have_text("photo.bin")
            expect(cells.nth(1)).to_have_text(str(len(data)))
            expect(cells.nth(2)).to_have_text(hashlib.sha256(data).hexdigest())

            expect(page.locator("#ws-status")).to_have_text("open", timeout=15_000)
            page.fill("#ws-input", "hello from a browser ✓")
            page.click("#ws-send")
            expect(page.locator(".ws-echo").first).to_have_text(
                "hello from a browser ✓", timeout=15_000
            )
        finally:
            browser.close()
    stored = list((tmp_path / "up").iterdir())
    assert [f.read_bytes() == data for f in stored] == [True]

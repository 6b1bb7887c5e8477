"""The Google Account page starts the host before the popup is opened (warm.js), end to end in
headless Chromium with the extension and the real host."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from support import chromium
from support.standin import StandIn


def _host_log(env: dict[str, str]) -> str:
    path = Path(env["XDG_STATE_HOME"]) / "imapkey" / "log" / "host.log"
    return path.read_text() if path.exists() else ""


def _wait_for(env: dict[str, str], pattern: str, seconds: float = 15) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        log = _host_log(env)
        if re.search(pattern, log, re.M):
            return log
        time.sleep(0.05)
    raise AssertionError(f"no {pattern!r} in the host's log: {_host_log(env)!r}")


def test_google_page_warms_the_host_for_the_popup(
    playwright: Any, tmp_path: Path, browser_env: dict[str, str], standin: StandIn
) -> None:
    """Opening the Google Account page alone starts the host with a `hello`; the popup opened
    next is served by that same port (its list is the port's next request), and asks nothing
    more of the page's script."""
    udd = tmp_path / "chromium"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env, standin.port)
    try:
        assert "hello" not in _host_log(browser_env)
        google = context.new_page()
        google.goto(standin.url)
        log = _wait_for(browser_env, r"^.*hello r1 from .* ok")
        assert "list" not in log  # the page's script asked for nothing but the start
        worker = chromium.service_worker(context)
        tab_id = worker.evaluate(
            "async () => (await chrome.tabs.query({url: 'https://myaccount.google.com/*'}))[0].id"
        )
        popup = context.new_page()
        popup.goto(chromium.popup_url(tab_id))
        expect(popup.locator("#accounts[data-source='host']")).to_be_attached()
        log = _wait_for(browser_env, r"^.*list r[23] from .* ok")
        assert len(re.findall(r" hello r\d+ ", log)) == 1
        google.reload()  # a port is open: the page's script starts nothing more
        time.sleep(0.5)
        assert len(re.findall(r" hello r\d+ ", _host_log(browser_env))) == 1
    finally:
        context.close()

"""The Google Account page starts the host before the popup is opened (warm.js), end to end in
headless Chromium with the extension and the real host."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from support import chromium
from support.hostlog import answered, host_log, wait_for_line
from support.standin import StandIn


def test_google_page_warms_the_host_for_the_popup(
    playwright: Any, tmp_path: Path, browser_env: dict[str, str], standin: StandIn
) -> None:
    """Opening the Google Account page alone starts the host with a `hello` (nothing else in
    the extension sends one); the popup opened next is served by that same process."""
    udd = tmp_path / "chromium"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env, standin.port)
    try:
        assert host_log(browser_env) == ""
        google = context.new_page()
        google.goto(standin.url)
        warmed = wait_for_line(browser_env, answered("hello"))
        worker = chromium.service_worker(context)
        tab_id = worker.evaluate(
            "async () => (await chrome.tabs.query({url: 'https://myaccount.google.com/*'}))[0].id"
        )
        popup = context.new_page()
        popup.goto(chromium.popup_url(tab_id))
        expect(popup.locator("#accounts[data-source='host']")).to_be_attached()
        listed = wait_for_line(browser_env, answered("list"))
        assert listed.group(1) == warmed.group(1)  # the same host process
        assert len(re.findall(r": hello r\d+ ", host_log(browser_env))) == 1
    finally:
        context.close()

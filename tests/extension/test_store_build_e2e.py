"""The store builds in real browsers. The Chrome Web Store build (no ``key``) loaded unpacked
in Chromium gets an id of its own: the popup says the host forbids that id and gives the
command, and after that command the host serves it. The addons.mozilla.org build loads in
Firefox and reaches the host."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from imapkey.identity import identity
from support import chromium
from support.firefox import Firefox
from support.secret_service import SecretService

ROOT = Path(__file__).resolve().parents[2]


def _store_build(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, str(ROOT / "scripts/dist_extension.py"), str(dist)], check=True)
    [archive] = dist.glob("imapkey-*-chrome.zip")
    unpacked = tmp_path / "imapkey-chrome"
    with zipfile.ZipFile(archive) as z:
        z.extractall(unpacked)
    return unpacked


def test_side_loaded_store_build_is_allowed_by_extension_id(
    playwright: Any, tmp_path: Path, browser_env: dict[str, str], secret_service: SecretService
) -> None:
    """Forbidden screen with the exact command for the build's own id; after that command the
    popup talks to the host (its account list comes from the host)."""
    udd = tmp_path / "profile"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env, extension=_store_build(tmp_path))
    try:
        worker = chromium.service_worker(context)
        ext_id = worker.url.split("/")[2]
        assert ext_id != identity().chromium_id  # no key: Chromium derives an id of its own
        popup = context.new_page()
        popup.goto(f"chrome-extension://{ext_id}/popup.html")
        expect(popup.locator("#setup")).to_have_attribute("data-reason", "forbidden", timeout=15000)
        command = popup.locator("#setup-forbidden code").inner_text()
        assert command == f"imapkey install --extension-id {ext_id}"

        subprocess.run(
            [str(chromium.CLI), *command.split()[1:], "--dir", str(udd / "NativeMessagingHosts")],
            check=True,
            env=browser_env,
            capture_output=True,
        )
        popup.reload()
        expect(popup.locator("#accounts")).to_have_attribute("data-source", "host", timeout=15000)
        expect(popup.locator("#setup")).to_be_hidden()
    finally:
        context.close()


def test_addons_mozilla_org_build_reaches_the_host(
    tmp_path: Path, browser_env: dict[str, str], secret_service: SecretService
) -> None:
    """The AMO build (no key, background scripts only, data collection declared) loads in
    Firefox ESR under the pinned gecko id and its popup reaches the host."""
    from marionette_driver import Wait

    _store_build(tmp_path)
    env = dict(browser_env, HOME=str(tmp_path / "home"))
    ff = Firefox(tmp_path / "ff", env, extension=tmp_path / "dist" / "extension-firefox")
    try:
        ff.m.navigate(ff.popup_url())
        Wait(ff.m, timeout=30, interval=0.1).until(
            lambda m: m.execute_script(
                "return document.getElementById('accounts').dataset.source === 'host'"
            )
        )
        assert ff.m.execute_script("return document.getElementById('setup').hidden") is True
    finally:
        ff.close()

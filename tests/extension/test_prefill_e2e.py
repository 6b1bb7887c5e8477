"""Prefill from the page as Google renders it, and where a prefilled password may go, end to end
in headless Chromium with the extension and the real host."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from support import chromium
from support.guessnet import DOMAIN, GOOGLE, GUESS, GuessNet, guess_net
from support.standin import StandIn

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# `make screenshots` sets this to docs/; otherwise the pictures go to a temporary folder.
SHOTS = Path(os.environ.get("IMAPKEY_SCREENSHOTS_DIR", tempfile.gettempdir()))
EXPECTED: dict[str, dict[str, Any]] = json.loads((FIXTURES / "expected.json").read_text())


def _open_popup(context: Any, standin: StandIn, fixture: str) -> Any:
    google = context.new_page()
    google.goto(standin.fixture_url(fixture))
    worker = chromium.service_worker(context)
    tab_id = worker.evaluate(
        "async () => (await chrome.tabs.query({url: 'https://myaccount.google.com/*'}))[0].id"
    )
    popup = context.new_page()
    popup.goto(chromium.popup_url(tab_id))
    return popup


@pytest.fixture
def browser(
    playwright: Any, tmp_path: Path, browser_env: dict[str, str], standin: StandIn
) -> Iterator[Any]:
    udd = tmp_path / "chromium"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env, standin.port)
    yield context
    context.close()


@pytest.mark.parametrize("fixture", ["ko-spans-formatted", "en-spans-css", "es-spans-nbsp"])
def test_prefills_from_google_pages(browser: Any, standin: StandIn, fixture: str) -> None:
    """Per-letter spans (CSS-spaced, NBSP-separated, one per line) in three UI languages fill
    the address and the password, in Google's display form."""
    expected = EXPECTED[fixture]
    popup = _open_popup(browser, standin, fixture)
    expect(popup.get_by_label("Email address")).to_have_value(expected["email"])
    expect(popup.get_by_label("App password")).to_have_value(expected["password"])
    expect(popup.get_by_text("from the Google Account page")).to_be_visible()
    expect(popup.get_by_label("IMAP server")).to_have_value(GOOGLE)


def test_says_plainly_when_no_password_is_shown(browser: Any, standin: StandIn) -> None:
    """A page without a fresh password fills the address and tells the user to type or paste."""
    popup = _open_popup(browser, standin, "en-nothing")
    expect(popup.get_by_label("Email address")).to_have_value("someone@gmail.com")
    expect(popup.get_by_label("App password")).to_have_value("")
    expect(popup.locator("#prefill-note")).to_contain_text("No app password is shown there")
    expect(popup.locator("#prefill-note")).to_contain_text("type or paste it")
    popup.screenshot(path=str(SHOTS / "popup-nothing-found.png"), full_page=True)


def _wrap_host(udd: Path, extra_env: dict[str, str]) -> None:
    """Point the host manifest at a wrapper that adds ``extra_env`` (nss_wrapper) to the host
    alone: Chromium itself runs without it."""
    manifest_path = next((udd / "NativeMessagingHosts").glob("*.json"))
    manifest = json.loads(manifest_path.read_text())
    wrapper = udd / "host-wrapper.sh"
    exports = "".join(f"export {k}='{v}'\n" for k, v in extra_env.items())
    wrapper.write_text(f'#!/bin/sh\n{exports}exec "{manifest["path"]}" "$@"\n')
    wrapper.chmod(0o755)
    manifest["path"] = str(wrapper)
    manifest_path.write_text(json.dumps(manifest))


@pytest.fixture
def net(tmp_path: Path) -> Iterator[GuessNet]:
    with guess_net(tmp_path) as net:
        yield net


def test_google_password_never_goes_to_a_guessed_server(
    playwright: Any,
    tmp_path: Path,
    browser_env: dict[str, str],
    standin: StandIn,
    net: GuessNet,
) -> None:
    """Security finding 4: a Workspace address whose look-ups fail. The prefilled Google password
    goes to imap.gmail.com, never to the guess imap.<domain>; a password the user types goes to
    the guess only after they confirm it."""
    udd = tmp_path / "chromium-guess"
    env = dict(browser_env, **{k: v for k, v in net.env.items() if k.startswith("IMAPKEY_")})
    chromium.install_host(udd, env)
    _wrap_host(udd, {k: v for k, v in net.env.items() if not k.startswith("IMAPKEY_")})
    context = chromium.launch(playwright, udd, env, standin.port)
    try:
        popup = _open_popup(context, standin, "en-custom-domain")
        expect(popup.get_by_label("Email address")).to_have_value(f"someone@{DOMAIN}")
        expect(popup.get_by_label("App password")).to_have_value("lkjh gfds apoi uytr")
        expect(popup.get_by_text("No autoconfig file")).to_be_visible(timeout=15000)  # suggested
        expect(popup.get_by_label("IMAP server")).to_have_value(GOOGLE)
        expect(popup.locator("#guess-confirm")).to_be_hidden()

        popup.get_by_role("button", name="Check and save").click()
        status = popup.get_by_role("status").first
        expect(status).not_to_have_attribute("data-outcome", "checking", timeout=30000)
        expect(status).to_contain_text(GOOGLE)
        assert len(net.google.connections) == 1
        assert net.guess.connections == []

        # The user types a password of their own: the suggestion (a guess) applies, confirmed.
        popup.get_by_label("App password").fill("abcd efgh ijkl mnop")
        expect(popup.get_by_label("IMAP server")).to_have_value(GUESS)
        expect(popup.locator("#guess-confirm")).to_be_visible()
        expect(popup.locator("#prefill-note")).not_to_contain_text("Google's server")
        popup.get_by_role("button", name="Check", exact=True).click()
        expect(status).to_have_attribute("data-outcome", "server_unconfirmed")
        expect(status).to_contain_text("Nothing was sent")
        popup.screenshot(path=str(SHOTS / "popup-guess.png"), full_page=True)
        time.sleep(0.5)
        assert net.guess.connections == []

        popup.get_by_role("button", name=f"Use {GUESS}").click()
        expect(popup.locator("#guess-confirm")).to_be_hidden()
        popup.get_by_role("button", name="Check", exact=True).click()
        expect(status).not_to_have_attribute("data-outcome", "checking", timeout=30000)
        expect(status).to_contain_text(GUESS)
        assert len(net.guess.connections) == 1
        assert len(net.google.connections) == 1
    finally:
        context.close()

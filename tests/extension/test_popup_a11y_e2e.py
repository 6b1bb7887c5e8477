"""Every state of the popup in headless Chromium, with the real host: axe-core finds no WCAG 2.2
AA violation, and the accessibility tree says in words what the eye gets from glyphs and colour."""

from __future__ import annotations

import json
import os
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from support import axe, chromium
from support.dovecot import Dovecot
from support.netfakes import DnsServer
from support.secret_service import SecretService
from support.standin import StandIn

DEMO = "demo@example.com"
DOMAIN = "custom-domain.test"
# Pictures of some states, to look at (IMAPKEY_SCREENSHOTS_DIR says where to keep them).
SHOTS = Path(os.environ.get("IMAPKEY_SCREENSHOTS_DIR", tempfile.gettempdir()))


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"popup-a11y-{name}.png"), full_page=True)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel completes them) and never says a word: a
    check against it stays in its checking state until its time limit."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield sock.getsockname()[1]
    sock.close()


def _popup_for_google_tab(context: Any, standin: StandIn) -> Any:
    google = context.new_page()
    google.goto(standin.url)
    worker = chromium.service_worker(context)
    tab_id = worker.evaluate(
        "async () => (await chrome.tabs.query({url: 'https://myaccount.google.com/*'}))[0].id"
    )
    popup = context.new_page()
    popup.goto(chromium.popup_url(tab_id))
    return popup


def test_each_state_has_no_axe_violation_and_stages_say_passed_or_failed(
    playwright: Any,
    tmp_path: Path,
    browser_env: dict[str, str],
    standin: StandIn,
    dovecot: Dovecot,
    secret_service: SecretService,
    silent_port: int,
) -> None:
    """Empty, prefilled, checking, auth_failed (each stage's state in the accessibility tree),
    saved with the account list: axe-core finds nothing in any of them."""
    udd = tmp_path / "chromium-a11y"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env, standin.port)
    try:
        empty = context.new_page()
        empty.goto(chromium.popup_url())
        expect(empty.get_by_role("list", name="Saved accounts")).to_have_attribute(
            "data-source", "host", timeout=15000
        )
        axe.assert_clean(empty, "empty")
        empty.close()

        popup = _popup_for_google_tab(context, standin)
        expect(popup.get_by_label("App password")).to_have_value("abcd efgh ijkl mnop")
        axe.assert_clean(popup, "prefilled")

        popup.get_by_text("Advanced").click()
        popup.get_by_label("IMAP server").fill("127.0.0.1")
        popup.get_by_label("Port", exact=True).fill(str(silent_port))
        popup.get_by_role("button", name="Check", exact=True).click()
        status = popup.get_by_role("status").first
        expect(status).to_have_attribute("data-outcome", "checking")
        axe.assert_clean(popup, "checking")
        expect(status).not_to_have_attribute("data-outcome", "checking", timeout=130000)

        popup.get_by_label("IMAP server").fill("localhost")
        popup.get_by_label("Port", exact=True).fill(str(dovecot.imaps_port))
        popup.get_by_label("App password").fill("wrong password")
        popup.get_by_role("button", name="Check", exact=True).click()
        expect(status).to_have_attribute("data-outcome", "auth_failed", timeout=30000)
        steps = popup.get_by_role("list", name="Steps")
        # The tree itself, not the DOM: each step reads its state in words.
        tree = steps.aria_snapshot()
        assert "connect passed, " in tree, tree
        assert "login failed, " in tree, tree
        assert "✗" not in tree, tree
        assert "✓" not in tree, tree
        axe.assert_clean(popup, "auth_failed")
        _shot(popup, "auth-failed")

        popup.get_by_label("App password").fill("abcd efgh ijkl mnop")
        popup.get_by_role("button", name="Check and save").click()
        expect(status).to_have_attribute("data-outcome", "ok", timeout=30000)
        accounts = popup.get_by_role("list", name="Saved accounts")
        expect(accounts.get_by_role("listitem")).to_have_count(1)
        assert "failed" not in steps.aria_snapshot()
        popup.get_by_text("Use it in a mail client").click()
        axe.assert_clean(popup, "ok and saved, with the account list")
        popup.get_by_role("button", name=f"Remove {DEMO}").click()
        expect(popup.get_by_role("button", name="Confirm remove")).to_be_focused()
        axe.assert_clean(popup, "remove confirmation")
        popup.get_by_role("button", name="Confirm remove").click()
        expect(accounts.get_by_role("listitem")).to_have_count(0)
        axe.assert_clean(popup, "removed")
    finally:
        context.close()


def test_provider_note_follows_the_server_in_the_form(
    playwright: Any, tmp_path: Path, browser_env: dict[str, str]
) -> None:
    """For a guessed server the note and the confirmation box speak of the guess; once the user
    enters their own server, the note names that one and the guess is gone from the page;
    both states pass axe-core."""
    dns = DnsServer()
    dns.fail.add(DOMAIN)
    env = dict(
        browser_env,
        IMAPKEY_DNS_SERVER=dns.address,
        IMAPKEY_ISPDB_URL="https://ispdb.invalid/v1.1/",
    )
    udd = tmp_path / "chromium-note"
    chromium.install_host(udd, env)
    context = chromium.launch(playwright, udd, env)
    try:
        popup = context.new_page()
        popup.goto(chromium.popup_url())
        popup.get_by_label("Email address").fill(f"someone@{DOMAIN}")
        popup.get_by_label("Email address").press("Tab")
        note = popup.locator("#provider-note")
        expect(note).to_contain_text("No autoconfig file", timeout=20000)
        guess = popup.locator("#guess-confirm")
        expect(guess).to_contain_text(f"imap.{DOMAIN} port 993 is only a guess")
        popup.get_by_label("App password").fill("abcd efgh ijkl mnop")
        popup.get_by_role("button", name="Check", exact=True).click()
        expect(popup.get_by_role("status").first).to_have_attribute(
            "data-outcome", "server_unconfirmed"
        )
        axe.assert_clean(popup, "guessed server, unconfirmed")

        popup.get_by_label("IMAP server").fill("mail.example.net")
        popup.get_by_label("Security", exact=True).select_option("starttls")
        expect(note).to_have_text(
            "Using the server you entered: mail.example.net port 143 (STARTTLS)."
        )
        expect(guess).to_be_hidden()
        expect(popup.locator("#result")).to_be_hidden()  # its "Nothing was sent" too
        expect(popup.get_by_text(f"imap.{DOMAIN}").locator("visible=true")).to_have_count(0)
        axe.assert_clean(popup, "own server entered")
        _shot(popup, "own-server")
    finally:
        context.close()
        dns.close()


def test_setup_screen_and_orphans_have_no_axe_violation(
    playwright: Any,
    tmp_path: Path,
    browser_env: dict[str, str],
    secret_service: SecretService,
) -> None:
    """The install instructions (no host registered, or one that does not serve this id) and
    the list of passwords without an account pass axe-core."""
    bare = chromium.launch(playwright, tmp_path / "bare", browser_env)
    try:
        popup = bare.new_page()
        popup.goto(chromium.popup_url())
        expect(popup.get_by_text("install the imapkey host")).to_be_visible(timeout=15000)
        axe.assert_clean(popup, "setup (host missing)")
    finally:
        bare.close()

    forbidding = tmp_path / "forbidding"
    chromium.install_host(forbidding, browser_env)
    manifest = forbidding / "NativeMessagingHosts" / "org.imapkey.host.json"
    data = json.loads(manifest.read_text())
    data["allowed_origins"] = [f"chrome-extension://{'a' * 32}/"]
    manifest.write_text(json.dumps(data))
    context = chromium.launch(playwright, forbidding, browser_env)
    try:
        popup = context.new_page()
        popup.goto(chromium.popup_url())
        expect(popup.locator("#setup")).to_have_attribute("data-reason", "forbidden", timeout=15000)
        axe.assert_clean(popup, "setup (host forbids this id)")
    finally:
        context.close()

    from imapkey.vault import secrets

    secrets.put("orphan@example.com", "imap.orphan.invalid", "left-behind")
    udd = tmp_path / "chromium-orphans"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env)
    try:
        popup = context.new_page()
        popup.goto(chromium.popup_url())
        orphans = popup.get_by_role("list", name="Passwords without an account")
        expect(orphans).to_contain_text("orphan@example.com", timeout=15000)
        axe.assert_clean(popup, "orphans")
    finally:
        context.close()

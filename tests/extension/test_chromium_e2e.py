"""The popup end to end in headless Chromium with the real host, Dovecot and gnome-keyring."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from imapkey.identity import identity
from support import chromium
from support.dovecot import Dovecot
from support.secret_service import SecretService
from support.standin import StandIn

DOCS = Path(__file__).resolve().parents[2] / "docs"
DEMO = "demo@example.com"
# `make screenshots` refreshes the README's pictures; otherwise they go to a temporary folder.
SHOTS = Path(os.environ.get("IMAPKEY_SCREENSHOTS_DIR", tempfile.gettempdir()))


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"popup-{name}.png"), full_page=True)


def test_prefill_check_save_list_remove(
    playwright: Any,
    tmp_path: Path,
    browser_env: dict[str, str],
    standin: StandIn,
    submission: Dovecot,
    secret_service: SecretService,
) -> None:
    """Stand-in page → prefill → wrong password: auth_failed with its hint, for receiving and
    sending → right one, Check and save: two blocks, both working → listed → in the keyring
    → Remove → gone."""
    dovecot = submission
    udd = tmp_path / "chromium"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env, standin.port)
    try:
        google = context.new_page()
        google.goto(standin.url)
        expect(google.get_by_text("Generated app password").first).to_be_visible()
        worker = chromium.service_worker(context)
        tab_id = worker.evaluate(
            "async () => (await chrome.tabs.query({url: 'https://myaccount.google.com/*'}))[0].id"
        )
        popup = context.new_page()
        popup.goto(chromium.popup_url(tab_id))

        email = popup.get_by_label("Email address")
        password = popup.get_by_label("App password")
        expect(email).to_have_value(DEMO)
        expect(password).to_have_value("abcd efgh ijkl mnop")
        expect(password).to_have_attribute("type", "password")
        expect(popup.get_by_text("from the Google Account page")).to_be_visible()

        popup.get_by_text("Advanced").click()
        popup.get_by_label("IMAP server").fill("localhost")
        popup.get_by_label("Port", exact=True).fill(str(dovecot.imaps_port))
        popup.get_by_label("Security", exact=True).select_option("tls")
        popup.get_by_label("Sending (SMTP) server").fill("localhost")
        popup.get_by_label("Sending security").select_option("starttls")
        popup.get_by_label("Sending port").fill(str(submission.submission_port))
        _shot(popup, "prefilled")

        password.fill("wrong password")
        popup.get_by_role("button", name="Check", exact=True).click()
        status = popup.get_by_role("status").first
        expect(status).to_have_attribute("data-outcome", "auth_failed", timeout=30000)
        expect(status).to_have_attribute("data-smtp-outcome", "auth_failed")
        expect(status).to_contain_text("revoked")
        expect(status).to_contain_text("AUTHENTICATIONFAILED")
        expect(status).to_contain_text("535 5.7.8")
        _shot(popup, "auth-failed")

        password.fill("abcd efgh ijkl mnop")
        popup.get_by_role("button", name="Check and save").click()
        expect(status).to_have_attribute("data-ok", "true", timeout=30000)
        expect(status).to_have_attribute("data-outcome", "ok")
        expect(status).to_have_attribute("data-smtp-outcome", "ok")
        expect(status).to_contain_text("Saved in the system keyring")
        receiving = status.get_by_role("region", name="Receiving mail (IMAP)")
        sending = status.get_by_role("region", name="Sending mail (SMTP)")
        expect(receiving).to_contain_text("works for IMAP")
        expect(sending).to_contain_text("works for sending mail")
        expect(sending.get_by_role("list", name="Steps: Sending mail (SMTP)")).to_contain_text(
            "starttls"
        )
        accounts = popup.get_by_role("list", name="Saved accounts")
        expect(accounts.get_by_role("listitem")).to_have_count(1)
        expect(accounts).to_contain_text(DEMO)
        expect(accounts).to_contain_text("ok")
        expect(accounts).to_contain_text(
            f"Sending: localhost:{submission.submission_port} (STARTTLS) · ok"
        )
        assert secret_service.lookup("imapkey/localhost", DEMO) == "abcdefghijklmnop"
        _shot(popup, "saved")
        popup.get_by_text("Use it in a mail client").click()
        expect(accounts).to_contain_text(f"imapkey snippet {DEMO} --client mbsync")
        expect(accounts).to_contain_text(f"imapkey snippet {DEMO} --client himalaya")
        _shot(popup, "snippets")

        popup.get_by_role("button", name="Re-check all").click()
        expect(popup.get_by_text("All 1 working.")).to_be_visible(timeout=30000)
        popup.get_by_role("button", name=f"Re-check {DEMO}").click()
        expect(popup.get_by_text(f"{DEMO} works.")).to_be_visible(timeout=30000)

        popup.get_by_role("button", name=f"Remove {DEMO}").click()
        popup.get_by_role("button", name="Confirm remove").click()
        expect(accounts.get_by_role("listitem")).to_have_count(0)
        expect(popup.get_by_text("revoke it at your provider")).to_be_visible()
        assert secret_service.lookup("imapkey/localhost", DEMO) is None
    finally:
        context.close()


def test_keyboard_only(
    playwright: Any, tmp_path: Path, browser_env: dict[str, str], dovecot: Dovecot
) -> None:
    """Tab order follows the form, the show toggle works from the keyboard, Enter checks."""
    udd = tmp_path / "chromium-keys"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env)
    try:
        popup = context.new_page()
        popup.goto(chromium.popup_url())
        popup.get_by_label("Email address").focus()
        popup.keyboard.type(DEMO)
        popup.keyboard.press("Tab")
        expect(popup.get_by_label("App password")).to_be_focused()
        # example.com has no published settings: once the host has looked, the popup offers its
        # guess in a box of its own, which is in the tab order between the password and Advanced.
        use_guess = popup.get_by_role("button", name="Use imap.example.com")
        expect(use_guess).to_be_visible(timeout=15000)
        popup.keyboard.type("wrong")
        popup.keyboard.press("Tab")
        show = popup.get_by_role("button", name="Show")
        expect(show).to_be_focused()
        popup.keyboard.press("Enter")
        expect(popup.get_by_label("App password")).to_have_attribute("type", "text")
        expect(popup.get_by_role("button", name="Hide")).to_have_attribute("aria-pressed", "true")
        popup.keyboard.press("Tab")
        expect(use_guess).to_be_focused()
        popup.keyboard.press("Tab")  # the Advanced disclosure
        popup.keyboard.press("Enter")
        popup.keyboard.press("Tab")
        expect(popup.get_by_label("IMAP server")).to_be_focused()
        popup.keyboard.press("Control+A")
        popup.keyboard.type("localhost")
        popup.keyboard.press("Tab")
        popup.keyboard.press("Control+A")
        popup.keyboard.type(str(dovecot.imaps_port))
        popup.keyboard.press("Enter")  # submits with the form's first button: Check
        status = popup.get_by_role("status").first
        expect(status).to_have_attribute("data-outcome", "auth_failed", timeout=30000)
        expect(status).to_have_attribute("aria-live", "polite")
    finally:
        context.close()


def test_setup_screen_when_the_host_is_not_installed(
    playwright: Any, tmp_path: Path, browser_env: dict[str, str]
) -> None:
    """With no host manifest the popup shows how to install it and the extension's id."""
    context = chromium.launch(playwright, tmp_path / "bare", browser_env)
    try:
        popup = context.new_page()
        popup.goto(chromium.popup_url())
        expect(popup.get_by_text("install the imapkey host")).to_be_visible(timeout=15000)
        expect(popup.locator("#setup")).to_have_attribute("data-reason", "missing")
        expect(popup.get_by_text("pipx install imapkey")).to_be_visible()
        expect(popup.get_by_text("make install")).to_be_visible()
        expect(popup.locator("#extension-id")).to_have_text(identity().chromium_id)
        _shot(popup, "setup")
    finally:
        context.close()


def test_setup_screen_when_the_host_forbids_this_extension(
    playwright: Any, tmp_path: Path, browser_env: dict[str, str]
) -> None:
    """A manifest that does not list this extension's id gets its own screen, with the exact
    command that allows the id (not the install instructions)."""
    udd = tmp_path / "forbidden"
    chromium.install_host(udd, browser_env)
    manifest = udd / "NativeMessagingHosts" / "org.imapkey.host.json"
    data = json.loads(manifest.read_text())
    data["allowed_origins"] = [f"chrome-extension://{'a' * 32}/"]
    manifest.write_text(json.dumps(data))
    context = chromium.launch(playwright, udd, browser_env)
    try:
        popup = context.new_page()
        popup.goto(chromium.popup_url())
        expect(popup.locator("#setup")).to_have_attribute("data-reason", "forbidden", timeout=15000)
        expect(popup.get_by_text("does not allow this extension")).to_be_visible()
        command = f"imapkey install --extension-id {identity().chromium_id}"
        expect(popup.locator("#setup-forbidden code")).to_have_text(command)
        expect(popup.get_by_text("pipx install imapkey")).to_be_hidden()
        _shot(popup, "setup-forbidden")
    finally:
        context.close()

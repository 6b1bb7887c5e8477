"""In Chromium, with the real host: nothing but the popup itself can make the background talk
to the host — not the isolated world that prefill leaves on the Google page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect
from pydantic import SecretStr

from imapkey.prober.models import ServerSettings
from imapkey.vault import accounts
from support import chromium
from support.certs import CertSet
from support.dovecot import ACCOUNTS, Dovecot
from support.secret_service import SecretService
from support.standin import StandIn

EMAIL = "vault@example.com"

# Run inside the Google tab's isolated world (where prefill ran): what a compromised page
# renderer could send. Each answer is collected.
FROM_THE_PAGE = """async ([tabId, attempts]) => {
  const [injection] = await chrome.scripting.executeScript({
    target: { tabId },
    args: [attempts],
    func: async (attempts) => {
      const answers = [];
      for (const message of attempts) answers.push(await chrome.runtime.sendMessage(message));
      return answers;
    },
  });
  return injection.result;
}"""


def test_the_page_world_cannot_reach_the_host(
    playwright: Any,
    tmp_path: Path,
    browser_env: dict[str, str],
    standin: StandIn,
    dovecot: Dovecot,
    good_certs: CertSet,
    secret_service: SecretService,
) -> None:
    """list, an unverified save over a stored password, delete and a LAN check, sent from the
    Google page's isolated world after prefill, are all refused; the popup still works."""
    server = ServerSettings(
        host="localhost", port=dovecot.imaps_port, security="tls", ca_file=str(good_certs.ca_file)
    )
    accounts.save(EMAIL, SecretStr(ACCOUNTS[EMAIL]), server)
    udd = tmp_path / "chromium-trust"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env, standin.port)
    try:
        google = context.new_page()
        google.goto(standin.url)
        worker = chromium.service_worker(context)
        tab_id = worker.evaluate(
            "async () => (await chrome.tabs.query({url: 'https://myaccount.google.com/*'}))[0].id"
        )
        popup = context.new_page()
        popup.goto(chromium.popup_url(tab_id))  # prefill runs in the Google tab
        expect(popup.get_by_label("App password")).to_have_value("abcd efgh ijkl mnop")
        saved = popup.get_by_role("list", name="Saved accounts")
        expect(saved).to_contain_text(EMAIL, timeout=15000)

        attempts = [
            {"kind": "host", "type": "list"},
            {
                "kind": "host",
                "type": "save",
                "fields": {
                    "email": EMAIL,
                    "password": "attacker-chosen",
                    "server": {"host": "localhost", "port": dovecot.imaps_port, "security": "tls"},
                    "verify": False,
                },
            },
            {"kind": "host", "type": "delete", "fields": {"email": EMAIL}},
            {
                "kind": "host",
                "type": "check",
                "fields": {
                    "email": "x@example.com",
                    "password": "p",
                    "server": {"host": "192.168.1.1", "port": 22, "security": "starttls"},
                },
            },
        ]
        answers = worker.evaluate(FROM_THE_PAGE, [tab_id, attempts])
        assert [a["ok"] for a in answers] == [False] * len(attempts)
        assert {a["error"]["code"] for a in answers} == {"request_refused"}
        assert secret_service.lookup("imapkey/localhost", EMAIL) == ACCOUNTS[EMAIL]
        assert [a["email"] for a in accounts.list_accounts()["accounts"]] == [EMAIL]

        # The popup itself is still served.
        popup.get_by_role("button", name=f"Re-check {EMAIL}").click()
        expect(popup.get_by_text(f"{EMAIL} works.")).to_be_visible(timeout=30000)
    finally:
        context.close()


def test_an_orphaned_secret_is_shown_and_removed_in_the_popup(
    playwright: Any,
    tmp_path: Path,
    browser_env: dict[str, str],
    secret_service: SecretService,
) -> None:
    """A keyring secret without an account appears under its own heading and can be removed."""
    from imapkey.vault import secrets

    secrets.put("orphan@example.com", "imap.orphan.invalid", "left-behind")
    udd = tmp_path / "chromium-orphans"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env)
    try:
        popup = context.new_page()
        popup.goto(chromium.popup_url())
        orphans = popup.get_by_role("list", name="Passwords without an account")
        expect(orphans).to_contain_text("orphan@example.com (imap.orphan.invalid)", timeout=15000)
        popup.screenshot(path=str(tmp_path / "orphans.png"), full_page=True)
        popup.get_by_role(
            "button", name="Remove the password for orphan@example.com on imap.orphan.invalid"
        ).click()
        expect(popup.get_by_text("Removed from this computer")).to_be_visible(timeout=15000)
        assert secret_service.lookup("imapkey/imap.orphan.invalid", "orphan@example.com") is None
    finally:
        context.close()

"""``make demo``: imapkey's main job end to end, on a machine with no Google account.

A throwaway Dovecot with a demo account behind TLS, a private keyring, a stand-in of Google's
App passwords page, headless Chromium with the extension and the real host: the popup fills
itself from the page, "Check and save" proves the password over IMAP and SMTP submission (the
same Dovecot's) and stores it in the keyring. It prints the stage ladder and where the screenshot is, and removes everything else
it started or wrote.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import trustme

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import chromium
from support.certs import issue
from support.dovecot import ACCOUNTS, Dovecot
from support.secret_service import SecretService
from support.smtpsink import SmtpSink
from support.standin import StandIn

EMAIL = "demo@example.com"


def main() -> int:
    from playwright.sync_api import expect, sync_playwright

    base = Path(tempfile.mkdtemp(prefix="imapkey-demo-"))
    os.chmod(base, 0o755)
    shot = Path(tempfile.gettempdir()) / "imapkey-demo.png"
    started: list[object] = []
    try:
        print("Starting a throwaway Dovecot, a private keyring and the stand-in page …")
        ca = trustme.CA()
        sink = SmtpSink()  # where Dovecot's submission service would relay mail (none is sent)
        started.append(sink)
        dovecot = Dovecot(
            base / "dovecot",
            issue(base / "certs", "server", ca),
            {EMAIL: ACCOUNTS[EMAIL]},
            relay_port=sink.port,
        )
        executable = shutil.which("dovecot", path="/usr/sbin:/usr/bin")
        if executable is None:
            raise SystemExit(
                "dovecot not found: run make test once, or apt-get install dovecot-imapd"
            )
        dovecot.start(executable)
        started.append(dovecot)
        keyring = SecretService(base / "keyring")
        keyring.start()
        started.append(keyring)
        page_certs = issue(base / "certs-page", "page", ca, hosts=("myaccount.google.com",))
        standin = StandIn(page_certs, EMAIL, "Demo User", ACCOUNTS[EMAIL])
        started.append(standin)
        env = {
            **os.environ,
            **keyring.env,
            "XDG_STATE_HOME": str(base / "state"),
            "XDG_DATA_HOME": str(base / "data"),
            "XDG_CONFIG_HOME": str(base / "config"),
            "XDG_CACHE_HOME": str(base / "cache"),
            "IMAPKEY_CA_FILE": str(dovecot.certs.ca_file),
        }
        profile = base / "chromium"
        chromium.install_host(profile, env)
        with sync_playwright() as playwright:
            context = chromium.launch(playwright, profile, env, standin.port)
            try:
                google = context.new_page()
                google.goto(standin.url)
                worker = chromium.service_worker(context)
                tab_id = worker.evaluate(
                    "async () => (await chrome.tabs.query("
                    "{url: 'https://myaccount.google.com/*'}))[0].id"
                )
                popup = context.new_page()
                popup.goto(chromium.popup_url(tab_id))
                expect(popup.get_by_label("App password")).to_have_value("abcd efgh ijkl mnop")
                print(f"Popup prefilled from the page: {EMAIL}, app password abcd efgh ijkl mnop")
                popup.get_by_text("Advanced").click()
                popup.get_by_label("IMAP server").fill("localhost")
                popup.get_by_label("Port", exact=True).fill(str(dovecot.imaps_port))
                popup.get_by_label("Security", exact=True).select_option("tls")
                popup.get_by_label("Sending (SMTP) server").fill("localhost")
                popup.get_by_label("Sending security").select_option("tls")
                popup.get_by_label("Sending port").fill(str(dovecot.submissions_port))
                popup.get_by_role("button", name="Check and save").click()
                status = popup.get_by_role("status").first
                expect(status).to_have_attribute("data-outcome", "ok", timeout=30000)
                expect(status).to_have_attribute("data-ok", "true")
                expect(popup.get_by_role("list", name="Saved accounts")).to_contain_text(EMAIL)
                print("\nCheck and save:")
                for verdict in status.locator(".verdict").all_inner_texts():
                    print("  " + verdict)
                for line in status.locator("ol.stages li").all_inner_texts():
                    print("  " + " ".join(line.split()))
                print(" ", status.locator(".saved-note").inner_text())
                stored = keyring.lookup("imapkey/localhost", EMAIL)
                print(
                    f"\nThe keyring holds it: {stored is not None} "
                    "(secret-tool lookup service imapkey/localhost username demo@example.com)"
                )
                popup.screenshot(path=str(shot), full_page=True)
            finally:
                context.close()
        print(f"\nScreenshot: {shot}")
        return 0
    finally:
        for service in reversed(started):
            getattr(service, "stop", getattr(service, "close", lambda: None))()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""The watch end to end in headless Chromium with the real host, Dovecot (IMAP and
submission) and gnome-keyring: a saved account's password is changed on the server, and
"Re-check all" and the alarm's handler (called the way the alarm calls it) turn the badge on
and create one notification."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from support import chromium
from support.certs import CertSet
from support.dovecot import Dovecot
from support.secret_service import SecretService
from support.services import require
from support.smtpsink import SmtpSink

EMAIL = "watched@example.com"
PASSWORD = "watched-pw-1"


@pytest.fixture(scope="module")
def watched(service_dir: Path, good_certs: CertSet, smtp_sink: SmtpSink) -> Iterator[Dovecot]:
    """A Dovecot of this test's own: its password gets changed."""
    require("/usr/lib/dovecot/submission", "dovecot-submissiond")
    server = Dovecot(
        service_dir / "dovecot-watch-e2e", good_certs, {EMAIL: PASSWORD}, relay_port=smtp_sink.port
    )
    server.start(require("dovecot", "dovecot-imapd"))
    yield server
    server.stop()


def badge(worker: Any) -> str:
    text: str = worker.evaluate("() => chrome.action.getBadgeText({})")
    return text


def notifications(worker: Any) -> dict[str, Any]:
    found: dict[str, Any] = worker.evaluate("() => chrome.notifications.getAll()")
    return found


def test_revoked_password_is_noticed(
    playwright: Any,
    tmp_path: Path,
    browser_env: dict[str, str],
    watched: Dovecot,
    secret_service: SecretService,
) -> None:
    """Saved and working: no badge, the daily alarm set. Password changed on the server:
    Re-check all shows "1" on the badge and one notification; the alarm's handler, run again
    a period later, adds none for the account already failing; once it works again and then
    breaks again, the alarm's handler alone notices it."""
    udd = tmp_path / "chromium-watch"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env)
    try:
        worker = chromium.service_worker(context)
        popup = context.new_page()
        popup.goto(chromium.popup_url())
        popup.get_by_label("Email address").fill(EMAIL)
        popup.get_by_label("App password").fill(PASSWORD)
        popup.get_by_text("Advanced").click()
        popup.get_by_label("IMAP server").fill("localhost")
        popup.get_by_label("Port", exact=True).fill(str(watched.imaps_port))
        popup.get_by_label("Sending (SMTP) server").fill("localhost")
        popup.get_by_label("Sending security").select_option("starttls")
        popup.get_by_label("Sending port").fill(str(watched.submission_port))
        popup.get_by_role("button", name="Check and save").click()
        status = popup.get_by_role("status").first
        expect(status).not_to_have_attribute("data-outcome", "checking", timeout=30000)
        assert status.get_attribute("data-ok") == "true", status.inner_text()
        expect(popup.get_by_label("Re-check saved accounts in the background")).to_have_value(
            "1440"
        )
        alarm = worker.evaluate("() => chrome.alarms.get('imapkey-watch')")
        assert alarm["periodInMinutes"] == 1440
        assert badge(worker) == ""

        watched.set_password(EMAIL, "changed-on-the-account")
        popup.get_by_role("button", name="Re-check all").click()
        expect(popup.get_by_text("1 of 1 failed")).to_be_visible(timeout=30000)
        assert badge(worker) == "1"
        [(note_id, _note)] = notifications(worker).items()
        assert EMAIL in note_id
        popup.screenshot(path=str(tmp_path / "watch.png"), full_page=True)

        # A period later the alarm fires: the account is checked again, still failing, and
        # nobody is told twice.
        worker.evaluate(f"() => chrome.notifications.clear({note_id!r})")
        run_alarm = (
            "async () => { const s = (await chrome.storage.local.get('watch-state'))['watch-state'];"
            " s.lastRun = 0; await chrome.storage.local.set({'watch-state': s});"
            " await self.imapkeyWatch.onAlarm({name: 'imapkey-watch'}); }"
        )
        worker.evaluate(run_alarm)
        assert notifications(worker) == {}
        assert badge(worker) == "1"

        # The user makes a new app password and saves it (the failed checks so far paused
        # further ones, as the lockout wants: only a password that works lifts the pause).
        # Broken again later: the alarm alone finds it.
        watched.set_password(EMAIL, "new-app-password")
        popup.get_by_label("App password").fill("new-app-password")
        popup.get_by_role("button", name="Check and save").click()
        expect(status).to_contain_text("replacing the previous password", timeout=30000)
        expect(status).to_have_attribute("data-ok", "true")
        popup.get_by_role("button", name="Re-check all").click()
        expect(popup.get_by_text("All 1 working.")).to_be_visible(timeout=30000)
        assert badge(worker) == ""
        watched.set_password(EMAIL, "revoked-again")
        worker.evaluate(run_alarm)
        assert badge(worker) == "1"
        assert len(notifications(worker)) == 1
        # Within the same period the alarm does not check again.
        worker.evaluate(f"() => chrome.notifications.clear({note_id!r})")
        worker.evaluate("() => self.imapkeyWatch.onAlarm({name: 'imapkey-watch'})")
        assert notifications(worker) == {}

        popup.get_by_label("Re-check saved accounts in the background").select_option("0")
        popup.wait_for_timeout(300)
        assert worker.evaluate("() => chrome.alarms.get('imapkey-watch')") is None
    finally:
        watched.set_password(EMAIL, PASSWORD)
        context.close()

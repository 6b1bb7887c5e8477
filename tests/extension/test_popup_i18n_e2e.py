"""The popup in German (Chromium with --lang=de), with the real host, Dovecot and keyring:
its own words, each outcome's message and hint by its code (specific ones with the host's
values), and dates and numbers in the German way."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from support import axe, chromium
from support.dovecot import Dovecot
from support.netfakes import DnsServer
from support.secret_service import SecretService
from support.standin import StandIn

DEMO = "demo@example.com"
DOMAIN = "custom-domain.test"
# IMAPKEY_SCREENSHOTS_DIR says where to keep the pictures (to look at them).
SHOTS = Path(os.environ.get("IMAPKEY_SCREENSHOTS_DIR", tempfile.gettempdir()))


def test_popup_speaks_german(
    playwright: Any,
    tmp_path: Path,
    browser_env: dict[str, str],
    standin: StandIn,
    dovecot: Dovecot,
    secret_service: SecretService,
) -> None:
    """Prefill note, labels, a security mismatch naming the port, auth_failed with its stages,
    the save and the account list with its date: all German, and axe-core still finds nothing."""
    udd = tmp_path / "chromium-de"
    chromium.install_host(udd, browser_env)
    context = chromium.launch(playwright, udd, browser_env, standin.port, lang="de")
    try:
        google = context.new_page()
        google.goto(standin.url)
        worker = chromium.service_worker(context)
        tab_id = worker.evaluate(
            "async () => (await chrome.tabs.query({url: 'https://myaccount.google.com/*'}))[0].id"
        )
        popup = context.new_page()
        popup.goto(chromium.popup_url(tab_id))
        expect(popup.locator("html")).to_have_attribute("lang", "de")
        expect(popup.get_by_label("App-Passwort")).to_have_value("abcd efgh ijkl mnop")
        expect(popup.get_by_label("E-Mail-Adresse")).to_have_value(DEMO)
        expect(popup.locator("#prefill-note")).to_contain_text(
            "Adresse und App-Passwort wurden von der Google-Konto-Seite übernommen."
        )
        expect(popup.get_by_role("button", name="Prüfen und speichern")).to_be_visible()

        # TLS chosen on the STARTTLS port: the prober names the port; the German says it too.
        popup.get_by_text("Erweitert").click()
        popup.get_by_label("IMAP-Server").fill("localhost")
        popup.get_by_label("Port", exact=True).fill(str(dovecot.imap_port))
        popup.get_by_label("Sicherheit").select_option("tls")
        popup.get_by_role("button", name="Prüfen", exact=True).click()
        status = popup.locator("#result")
        expect(status).to_have_attribute("data-outcome", "security_mismatch", timeout=30000)
        expect(status.locator(".verdict").first).to_have_text(
            f"Port {dovecot.imap_port} spricht unverschlüsseltes IMAP, das mit STARTTLS "
            "verschlüsselt wird, gewählt wurde aber SSL/TLS."
        )
        expect(status.locator(".hint").first).to_have_text(
            "Wählen Sie STARTTLS für diesen Port oder SSL/TLS mit Port 993."
        )
        expect(status.locator(".host-words").first).to_have_count(0)  # nothing left untranslated

        popup.get_by_label("Port", exact=True).fill(str(dovecot.imaps_port))
        popup.get_by_label("App-Passwort").fill("wrong password")
        popup.get_by_role("button", name="Prüfen", exact=True).click()
        expect(status).to_have_attribute("data-outcome", "auth_failed", timeout=30000)
        expect(status.locator(".verdict").first).to_have_text(
            "Der Server hat diese Adresse und dieses Passwort abgelehnt."
        )
        expect(status.locator(".hint").first).to_contain_text("Leerzeichen spielen keine Rolle")
        expect(status).to_contain_text("AUTHENTICATIONFAILED")  # the server's words, as said
        steps = popup.get_by_role("list", name="Schritte")
        tree = steps.aria_snapshot()
        assert "Anmeldung fehlgeschlagen, " in tree, tree
        assert "Verbindung bestanden, " in tree, tree
        expect(status).to_contain_text("ms insgesamt, localhost:")
        axe.assert_clean(popup, "German auth_failed")
        popup.screenshot(path=str(SHOTS / "popup-de-auth-failed.png"), full_page=True)

        popup.get_by_label("App-Passwort").fill("abcd efgh ijkl mnop")
        popup.get_by_role("button", name="Prüfen und speichern").click()
        expect(status).to_have_attribute("data-outcome", "ok", timeout=30000)
        expect(status.locator(".verdict").first).to_have_text(
            "Angemeldet: Dieses Passwort funktioniert für IMAP."
        )
        expect(status).to_contain_text("Hinweis: Leerzeichen wurden entfernt")
        expect(status).to_contain_text("Im Systemschlüsselbund gespeichert.")
        accounts = popup.get_by_role("list", name="Gespeicherte Konten")
        expect(accounts.get_by_role("listitem")).to_have_count(1)
        expect(accounts).to_contain_text("Status: funktioniert")
        # A German date: 23.11.2026, 04:12
        meta = accounts.locator(".meta").nth(1).inner_text()
        assert re.search(r"Zuletzt funktioniert: \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}", meta), meta
        axe.assert_clean(popup, "German saved")
        popup.screenshot(path=str(SHOTS / "popup-de-saved.png"), full_page=True)

        popup.get_by_role("button", name=f"{DEMO} entfernen").click()
        popup.get_by_role("button", name="Entfernen bestätigen").click()
        expect(accounts.get_by_role("listitem")).to_have_count(0)
        expect(popup.locator("#accounts-note")).to_contain_text("Von diesem Computer entfernt.")
    finally:
        context.close()


def test_guessed_server_and_orphans_in_german(
    playwright: Any, tmp_path: Path, browser_env: dict[str, str], secret_service: SecretService
) -> None:
    """The host's note on a guess (translated by its known English), the confirmation box, the
    unconfirmed refusal and the list of passwords without an account, in German; axe-clean."""
    from imapkey.vault import secrets

    secrets.put("orphan@example.com", "imap.orphan.invalid", "left-behind")
    dns = DnsServer()
    dns.fail.add(DOMAIN)
    env = dict(
        browser_env, IMAPKEY_DNS_SERVER=dns.address, IMAPKEY_ISPDB_URL="https://ispdb.invalid/v1.1/"
    )
    udd = tmp_path / "chromium-de-guess"
    chromium.install_host(udd, env)
    context = chromium.launch(playwright, udd, env, lang="de")
    try:
        popup = context.new_page()
        popup.goto(chromium.popup_url())
        popup.get_by_label("E-Mail-Adresse").fill(f"someone@{DOMAIN}")
        popup.get_by_label("E-Mail-Adresse").press("Tab")
        expect(popup.locator("#provider-note")).to_have_text(
            "Weder eine Autoconfig-Datei noch ein DNS-Eintrag noch ein bekannter Anbieter nennt "
            "den IMAP-Server dieser Domain.",
            timeout=20000,
        )
        expect(popup.locator("#guess-confirm")).to_contain_text(
            f"imap.{DOMAIN} Port 993 ist nur eine Vermutung"
        )
        expect(popup.get_by_role("button", name=f"imap.{DOMAIN} verwenden")).to_be_visible()
        popup.get_by_label("App-Passwort").fill("abcd efgh ijkl mnop")
        popup.get_by_role("button", name="Prüfen", exact=True).click()
        expect(popup.locator("#result .verdict")).to_have_text(
            f"Nichts wurde gesendet: imap.{DOMAIN} ist nur eine Vermutung für Ihren E-Mail-Server."
        )
        orphans = popup.get_by_role("list", name="Passwörter ohne Konto")
        expect(orphans).to_contain_text("orphan@example.com (imap.orphan.invalid)")
        expect(
            orphans.get_by_role(
                "button",
                name="Das Passwort für orphan@example.com auf imap.orphan.invalid entfernen",
            )
        ).to_be_visible()
        axe.assert_clean(popup, "German guess and orphans")
        popup.screenshot(path=str(SHOTS / "popup-de-guess.png"), full_page=True)
    finally:
        context.close()
        dns.close()


def test_setup_screen_in_german(
    playwright: Any, tmp_path: Path, browser_env: dict[str, str]
) -> None:
    """Without a host, the install instructions are German (commands as they are), axe-clean."""
    context = chromium.launch(playwright, tmp_path / "bare-de", browser_env, lang="de")
    try:
        popup = context.new_page()
        popup.goto(chromium.popup_url())
        expect(popup.get_by_role("heading", level=2)).to_have_text(
            "Noch ein Schritt: den imapkey-Host installieren", timeout=15000
        )
        expect(popup.locator("#setup-missing")).to_contain_text("Führen Sie in einem Terminal aus:")
        expect(popup.get_by_text("pipx install imapkey")).to_be_visible()
        expect(popup.get_by_role("button", name="Erneut versuchen")).to_be_visible()
        axe.assert_clean(popup, "German setup")
        popup.screenshot(path=str(SHOTS / "popup-de-setup.png"), full_page=True)
    finally:
        context.close()

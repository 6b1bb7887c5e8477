"""Every outcome from a real exchange with a scripted server replaying providers' exact texts."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from pydantic import SecretStr

from imapkey.prober import outcomes
from imapkey.prober.check import CheckRequest, check_async, run
from imapkey.prober.lockout import Lockout
from imapkey.prober.models import CheckResult, ServerSettings
from support.certs import CertSet, issue
from support.scripted import ScriptedServer, greeter, imap, silent

APP_PASSWORD = "abcd efgh ijkl mnop"
SENT_AS = "abcdefghijklmnop"
GMAIL = "user@gmail.com"
SEEN: set[str] = set()


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory, ca: trustme.CA) -> CertSet:
    return issue(tmp_path_factory.mktemp("scripted-certs"), "scripted", ca)


@pytest.fixture
def servers() -> Iterator[list[ScriptedServer]]:
    started: list[ScriptedServer] = []
    yield started
    for server in started:
        server.close()


def serve(
    servers: list[ScriptedServer], handler, certs: CertSet | None = None, **kw
) -> ScriptedServer:  # type: ignore[no-untyped-def]
    server = ScriptedServer(handler, certs, **kw)
    servers.append(server)
    return server


def check(
    port: int,
    certs: CertSet,
    security: str = "tls",
    email: str = GMAIL,
    password: str = APP_PASSWORD,
    timeout: float = 5,
) -> CheckResult:
    server = ServerSettings(
        host="localhost", port=port, security=security, ca_file=str(certs.ca_file)
    )
    result = run(CheckRequest(email, SecretStr(password), server, timeout, force=True))
    SEEN.add(result.outcome)
    dumped = json.dumps(result.model_dump(mode="json"))
    assert password not in dumped
    assert SENT_AS not in dumped
    return result


def tls_context(certs: CertSet):  # type: ignore[no-untyped-def]
    import ssl

    def make() -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certs.cert_file, certs.key_file)
        return ctx

    return make


# --- Gmail, replayed -------------------------------------------------------------------------


def test_gmail_success_sends_the_app_password_without_spaces(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """Gmail's greeting has no capabilities: LOGIN goes straight after it, spaces removed."""
    server = serve(servers, imap(), certs)
    result = check(server.port, certs)
    assert result.outcome == "ok"
    assert [s.name for s in result.stages] == [
        "dns",
        "connect",
        "tls",
        "greeting",
        "login",
        "mailbox",
        "logout",
    ]
    assert result.warnings
    assert "Spaces were removed" in result.warnings[0]
    received = server.all_received()
    assert f'LOGIN "{GMAIL}" "{SENT_AS}"\r\nk2 EXAMINE INBOX\r\n'.encode() in received
    assert b"CAPABILITY" not in received


@pytest.mark.parametrize(
    ("replies", "outcome", "link"),
    [
        (
            ("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)",),
            "auth_failed",
            "https://myaccount.google.com/apppasswords",
        ),
        (
            (
                "{tag} NO [ALERT] Application-specific password required: "
                "https://support.google.com/accounts/answer/185833 (Failure)",
            ),
            "app_password_required",
            "https://myaccount.google.com/apppasswords",
        ),
        (
            (
                "* NO [WEBALERT https://accounts.google.com/ContinueSignIn?sarp=1] Web login required.",
                "{tag} NO [ALERT] Please log in via your web browser: "
                "https://support.google.com/mail/accounts/answer/78754 (Failure)",
            ),
            "web_login_required",
            outcomes.GOOGLE_WEB_LOGIN,
        ),
        (
            (
                "{tag} NO [ALERT] Your account is not enabled for IMAP use. Please visit your Gmail "
                "settings page and enable your account for IMAP access. (Failure)",
            ),
            "imap_disabled",
            outcomes.GOOGLE_IMAP_SETTINGS,
        ),
        (
            (
                "{tag} NO [ALERT] IMAP access is disabled for your domain. Please contact your domain "
                "administrator for questions about this feature. (Failure)",
            ),
            "imap_disabled",
            outcomes.GOOGLE_IMAP_SETTINGS,
        ),
        (
            ("{tag} NO [ALERT] Too many simultaneous connections. (Failure)",),
            "too_many_connections",
            None,
        ),
        (
            ("{tag} NO [ALERT] Account exceeded command or bandwidth limits. (Failure)",),
            "throttled",
            None,
        ),
    ],
)
def test_gmail_refusals(
    servers: list[ScriptedServer],
    certs: CertSet,
    replies: tuple[str, ...],
    outcome: str,
    link: str | None,
) -> None:
    """Each Gmail refusal text maps to its outcome, with the server's words verbatim."""
    server = serve(servers, imap(login=replies), certs)
    result = check(server.port, certs)
    assert result.outcome == outcome
    assert result.link == link
    assert result.server_text is not None
    for reply in replies:
        assert reply.format(tag="").strip() in result.server_text


def test_policy_refusal_is_not_a_password_problem(
    servers: list[ScriptedServer], certs: CertSet, tmp_path: Path
) -> None:
    """A login refused for where it comes from is policy_refused: the hint does not ask for the
    password again, and the local lockout does not count it (EmailEngine's IMAP proxy text)."""
    server = serve(
        servers,
        imap(
            greeting="* OK EmailEngine IMAP Proxy ready for requests from 127.0.0.1",
            capabilities="IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE",
            login=(
                "{tag} NO [AUTHENTICATIONFAILED] Access denied, traffic not accepted from this IP",
            ),
        ),
        certs,
    )
    guard = Lockout(tmp_path / "lockout.json")
    settings = ServerSettings(
        host="localhost", port=server.port, security="tls", ca_file=str(certs.ca_file)
    )
    for _ in range(4):
        request = CheckRequest(GMAIL, SecretStr(APP_PASSWORD), settings, 5)
        result = asyncio.run(check_async(request, guard))
        SEEN.add(result.outcome)
        assert result.outcome == "policy_refused"
    assert "password" in result.message
    assert "copy" not in result.hint.lower()
    assert guard.retry_after(GMAIL, "localhost") is None
    assert (
        not (tmp_path / "lockout.json").exists()
        or GMAIL not in (tmp_path / "lockout.json").read_text()
    )


def test_gmail_account_password_gets_a_warning_not_a_refusal(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """A Gmail password that is not app-password shaped is still sent, with a warning."""
    server = serve(servers, imap(), certs)
    result = check(server.port, certs, password="my-account-password!")
    assert result.outcome == "ok"
    assert "does not look like a Google app password" in result.warnings[0]


def test_microsoft_refuses_every_password(servers: list[ScriptedServer], certs: CertSet) -> None:
    """An Outlook.com address refused over IMAP is basic_auth_disabled, with the OAuth hint."""
    server = serve(
        servers,
        imap(
            greeting="* OK The Microsoft Exchange IMAP4 service is ready.",
            capabilities="IMAP4 IMAP4rev1 AUTH=PLAIN SASL-IR LITERAL+",
            login=("{tag} NO AUTHENTICATE failed.",),
        ),
        certs,
    )
    result = check(server.port, certs, email="someone@outlook.com")
    assert result.outcome == "basic_auth_disabled"
    assert "OAuth" in result.hint


def test_outlook_default_server_is_flagged_up_front() -> None:
    """Without a custom server, an Outlook.com address is answered without connecting."""
    result = run(CheckRequest("someone@hotmail.com", SecretStr("x" * 16)))
    SEEN.add(result.outcome)
    assert result.outcome == "basic_auth_disabled"
    assert [s.name for s in result.stages] == ["precheck"]


# --- Wrong ports and misbehaving servers -------------------------------------------------------


def test_pop3_over_tls(servers: list[ScriptedServer], certs: CertSet) -> None:
    """Port 995's POP3 greeting over TLS is pop3_port."""
    server = serve(servers, greeter("+OK Gpop ready for requests from 127.0.0.1 x"), certs)
    assert check(server.port, certs).outcome == "pop3_port"


def test_plain_pop3_with_tls_chosen(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A plain POP3 port answers the ClientHello with +OK: pop3_port, at once."""
    server = serve(servers, greeter("+OK POP3 ready"))
    started = time.monotonic()
    assert check(server.port, certs).outcome == "pop3_port"
    assert time.monotonic() - started < 1


def test_plain_pop3_with_starttls_chosen(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A plain POP3 greeting instead of IMAP's is pop3_port."""
    server = serve(servers, greeter("+OK POP3 ready"))
    assert check(server.port, certs, security="starttls").outcome == "pop3_port"


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_smtp_port(servers: list[ScriptedServer], certs: CertSet, security: str) -> None:
    """An SMTP greeting (port 587 or 25) is smtp_port with either security."""
    server = serve(servers, greeter("220 smtp.gmail.com ESMTP x - gsmtp"))
    assert check(server.port, certs, security=security).outcome == "smtp_port"


def test_smtp_over_tls_with_starttls_chosen(servers: list[ScriptedServer], certs: CertSet) -> None:
    """Port 465 (SMTP over TLS) with STARTTLS chosen: the TLS probe finds SMTP behind it."""
    server = serve(servers, greeter("220 smtp.gmail.com ESMTP ready"), certs)
    started = time.monotonic()
    assert check(server.port, certs, security="starttls").outcome == "smtp_port"
    assert time.monotonic() - started < 1.5


def test_not_imap(servers: list[ScriptedServer], certs: CertSet) -> None:
    """Something else entirely (an SSH banner) is not_imap."""
    server = serve(servers, greeter("SSH-2.0-OpenSSH_9.2p1 Debian-2"))
    assert check(server.port, certs, security="starttls").outcome == "not_imap"


def test_bye_greeting_is_server_unavailable(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A BYE instead of a greeting is server_unavailable, with the server's words."""
    server = serve(servers, greeter("* BYE System busy, try later"), certs)
    result = check(server.port, certs)
    assert result.outcome == "server_unavailable"
    assert result.server_text == "* BYE System busy, try later"


def test_silent_server_is_greeting_timeout(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A server that accepts and never speaks (nor TLS) is greeting_timeout at the deadline."""
    server = serve(servers, silent)
    result = check(server.port, certs, security="starttls", timeout=1.5)
    assert result.outcome == "greeting_timeout"


def test_silent_on_tls_handshake_is_timeout(servers: list[ScriptedServer], certs: CertSet) -> None:
    """No answer to the TLS handshake is a timeout that names the handshake."""
    server = serve(servers, silent)
    result = check(server.port, certs, timeout=1)
    assert result.outcome == "timeout"
    assert "TLS" in result.message


def test_no_answer_to_login_is_timeout(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A server that goes quiet after LOGIN is a timeout, within the time limit."""
    server = serve(servers, imap(silent_on_login=True), certs)
    started = time.monotonic()
    assert check(server.port, certs, timeout=1).outcome == "timeout"
    assert time.monotonic() - started < 2


def test_close_mid_login_is_protocol_error(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A server that hangs up during login is a protocol_error saying so."""
    server = serve(servers, imap(close_on_login=True), certs)
    result = check(server.port, certs)
    assert result.outcome == "protocol_error"
    assert "closed" in result.message


def test_plaintext_server_without_starttls_gets_no_password(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """No STARTTLS offered: no_encryption, and neither LOGIN nor the password reached it."""
    server = serve(
        servers, imap(greeting="* OK IMAP4rev1 ready", capabilities="IMAP4rev1 AUTH=PLAIN")
    )
    result = check(server.port, certs, security="starttls")
    assert result.outcome == "no_encryption"
    received = server.all_received()
    assert b"CAPABILITY" in received
    assert b"LOGIN" not in received
    assert b"AUTHENTICATE" not in received
    assert SENT_AS.encode() not in received


def test_logindisabled_after_starttls(servers: list[ScriptedServer], certs: CertSet) -> None:
    """LOGINDISABLED without AUTH=PLAIN after STARTTLS is login_disabled; nothing is sent."""
    server = serve(
        servers,
        imap(
            greeting="* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready",
            capabilities="IMAP4rev1 STARTTLS LOGINDISABLED",
            starttls=tls_context(certs),
            after_tls_capabilities="IMAP4rev1 LOGINDISABLED AUTH=XOAUTH2",
        ),
    )
    result = check(server.port, certs, security="starttls")
    assert result.outcome == "login_disabled"
    assert [s.name for s in result.stages][-2:] == ["capability", "login"]
    assert SENT_AS.encode() not in server.all_received()


def test_sync_literal_for_non_ascii_password_without_literal_plus(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """A non-ASCII password goes as a synchronizing literal when LITERAL+ is not offered."""
    server = serve(servers, imap(), certs)
    result = check(server.port, certs, password="päss wörd")
    assert result.outcome == "ok"
    assert b"{11}\r\np\xc3\xa4ss w\xc3\xb6rd\r\n" in server.all_received()


def test_login_preferred_over_authenticate_for_ascii(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """AUTH=PLAIN and SASL-IR offered, ASCII password: LOGIN, never AUTHENTICATE."""
    server = serve(
        servers, imap(greeting="* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi"), certs
    )
    result = check(server.port, certs)
    assert result.outcome == "ok"
    assert f'k1 LOGIN "{GMAIL}" "{SENT_AS}"\r\n'.encode() in server.all_received()
    assert b"AUTHENTICATE" not in server.all_received()


def test_authenticate_plain_for_non_ascii_password(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """A non-ASCII password goes as one SASL-IR AUTHENTICATE PLAIN, UTF-8, check pipelined."""
    server = serve(
        servers, imap(greeting="* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi"), certs
    )
    result = check(server.port, certs, password="päss wörd")
    assert result.outcome == "ok"
    blob = base64.b64encode(f"\0{GMAIL}\0päss wörd".encode()).decode()
    assert f"k1 AUTHENTICATE PLAIN {blob}\r\nk2 EXAMINE INBOX\r\n".encode() in (
        server.all_received()
    )
    assert b"LOGIN " not in server.all_received()


def test_authenticate_plain_under_logindisabled(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """LOGINDISABLED with AUTH=PLAIN after STARTTLS: AUTHENTICATE PLAIN, and no LOGIN after a
    BAD to it (LOGIN is not allowed there)."""
    server = serve(
        servers,
        imap(
            greeting="* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready",
            capabilities="IMAP4rev1 STARTTLS LOGINDISABLED",
            starttls=tls_context(certs),
            after_tls_capabilities="IMAP4rev1 LOGINDISABLED AUTH=PLAIN",
            authenticate=("{tag} BAD [CLIENTBUG] syntax: Invalid sasl Argument",),
        ),
    )
    result = check(server.port, certs, security="starttls")
    assert result.outcome == "protocol_error"
    received = server.all_received()
    assert b"AUTHENTICATE PLAIN\r\n" in received
    assert b" LOGIN " not in received


@pytest.mark.parametrize("sasl_ir", ["SASL-IR ", ""])
def test_bad_to_authenticate_falls_back_to_login_once(
    servers: list[ScriptedServer], certs: CertSet, sasl_ir: str
) -> None:
    """Zoho's BAD [CLIENTBUG] to AUTHENTICATE (with or without an initial response): one LOGIN
    follows, and it succeeds."""
    server = serve(
        servers,
        imap(
            greeting=f"* OK [CAPABILITY IMAP4rev1 {sasl_ir}AUTH=PLAIN LITERAL+] hi",
            authenticate=("{tag} BAD [CLIENTBUG] syntax: Invalid sasl Argument",),
        ),
        certs,
    )
    result = check(server.port, certs, password="päss wörd")
    assert result.outcome == "ok"
    received = server.all_received()
    assert received.count(b"AUTHENTICATE") == 1
    assert received.count(b" LOGIN ") == 1
    assert [s.name for s in result.stages][-4:] == ["login", "login", "mailbox", "logout"]


def test_no_to_authenticate_is_a_verdict(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A NO to AUTHENTICATE is the answer about the password: no LOGIN retry."""
    server = serve(
        servers,
        imap(
            greeting="* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi",
            authenticate=("{tag} NO [AUTHENTICATIONFAILED] Authentication failed",),
        ),
        certs,
    )
    result = check(server.port, certs, password="päss wörd")
    assert result.outcome == "auth_failed"
    assert b" LOGIN " not in server.all_received()


def test_dropped_pipelined_check_is_asked_again(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """A server that discards the EXAMINE sent behind LOGIN is asked once more: ok, no
    timeout."""
    server = serve(servers, imap(drop_after_login=True), certs)
    started = time.monotonic()
    result = check(server.port, certs, timeout=5)
    assert result.outcome == "ok"
    assert time.monotonic() - started < 3
    assert server.all_received().count(b"EXAMINE INBOX") == 2


def test_first_command_after_login_fails(servers: list[ScriptedServer], certs: CertSet) -> None:
    """Outlook accepts the login and then fails EXAMINE: mailbox_unavailable, not ok, the
    server's words shown, and the lockout not touched."""
    server = serve(
        servers,
        imap(
            greeting="* OK The Microsoft Exchange IMAP4 service is ready.",
            capabilities="IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS LITERAL+",
            login=("{tag} OK LOGIN completed.",),
            examine=("{tag} BAD User is authenticated but not connected.",),
        ),
        certs,
    )
    result = check(server.port, certs, email="someone@example.com")
    assert result.outcome == "mailbox_unavailable"
    assert not result.ok
    assert result.server_text == "k2 BAD User is authenticated but not connected."
    assert [(s.name, s.ok) for s in result.stages][-2:] == [("login", True), ("mailbox", False)]


def test_server_echoing_the_password_is_scrubbed(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """A server that quotes the password back never gets it into the result."""
    server = serve(
        servers, imap(login=("{tag} BAD Could not parse: LOGIN x abcdefghijklmnop",)), certs
    )
    result = check(server.port, certs)
    assert result.outcome == "protocol_error"
    assert result.server_text is not None
    assert "••••••" in result.server_text


# --- Reaching the server ---------------------------------------------------------------------


def test_connection_refused(certs: CertSet) -> None:
    """A closed port is connection_refused, at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert check(port, certs).outcome == "connection_refused"


def test_dns_failed(certs: CertSet) -> None:
    """A name that does not exist is dns_failed."""
    server = ServerSettings(host="no-such-host.invalid", port=993, security="tls")
    result = run(CheckRequest(GMAIL, SecretStr(APP_PASSWORD), server, 5, force=True))
    SEEN.add(result.outcome)
    assert result.outcome == "dns_failed"


def test_connect_timeout(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A listener whose backlog is full drops the SYN: connect_timeout at the deadline."""
    server = serve(servers, silent, backlog=0, accept=False)
    fillers = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", server.port))
        fillers.append(s)
    time.sleep(0.2)
    try:
        result = check(server.port, certs, timeout=1)
    finally:
        for s in fillers:
            s.close()
    assert result.outcome == "connect_timeout"


def test_every_outcome_has_a_test(tmp_path: Path) -> None:
    """Runs last in this module: every outcome code except those proven elsewhere was seen."""
    elsewhere = {
        "security_mismatch",
        "cert_untrusted",
        "cert_expired",
        "cert_hostname_mismatch",
        "locked_out_locally",
        "connection_lost",  # test_hostile_server.py
        "auth_not_offered",  # sending only: test_smtp_scripted.py
        "imap_port",
        "not_smtp",
    }
    missing = set(outcomes.OUTCOMES) - SEEN - elsewhere
    assert missing == set()

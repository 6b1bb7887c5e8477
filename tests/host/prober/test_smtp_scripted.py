"""The sending check against scripted SMTP servers replaying providers' exact texts."""

from __future__ import annotations

import json
import socket
import ssl
import time
from collections.abc import Callable, Iterator

import pytest
import trustme
from pydantic import SecretStr

from imapkey.prober import smtp as smtp_probe
from imapkey.prober.check import CheckRequest, run, run_pair
from imapkey.prober.models import CheckResult, ServerSettings
from support.certs import CertSet, issue
from support.scripted import ScriptedServer, greeter, imap, silent, smtp

APP_PASSWORD = "abcd efgh ijkl mnop"
SENT_AS = "abcdefghijklmnop"
GMAIL = "user@gmail.com"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory, ca: trustme.CA) -> CertSet:
    return issue(tmp_path_factory.mktemp("smtp-certs"), "scripted", ca)


@pytest.fixture
def servers() -> Iterator[list[ScriptedServer]]:
    started: list[ScriptedServer] = []
    yield started
    for server in started:
        server.close()


def tls_context(certs: CertSet) -> Callable[[], ssl.SSLContext]:
    def make() -> ssl.SSLContext:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certs.cert_file, certs.key_file)
        return ctx

    return make


def serve(
    servers: list[ScriptedServer], handler, certs: CertSet | None = None, **kw
) -> ScriptedServer:  # type: ignore[no-untyped-def]
    server = ScriptedServer(handler, certs, **kw)
    servers.append(server)
    return server


def check(
    server: ScriptedServer,
    certs: CertSet,
    security: str = "tls",
    email: str = GMAIL,
    password: str = APP_PASSWORD,
    timeout: float = 5,
) -> CheckResult:
    settings = ServerSettings(
        host="localhost", port=server.port, security=security, ca_file=str(certs.ca_file)
    )
    request = CheckRequest(email, SecretStr(password), settings, timeout, True, "smtp")
    result = run(request)
    dumped = json.dumps(result.model_dump(mode="json"))
    assert password not in dumped
    assert SENT_AS not in dumped
    assert b"MAIL FROM" not in server.all_received().upper()
    return result


def names(result: CheckResult) -> list[str]:
    return [s.name for s in result.stages]


def test_implicit_tls_signs_in_with_plain(servers: list[ScriptedServer], certs: CertSet) -> None:
    """Gmail's 465: TLS, greeting, one EHLO, AUTH PLAIN with the spaces taken out, QUIT."""
    server = serve(servers, smtp(), certs)
    result = check(server, certs)
    assert result.outcome == "ok", result
    assert names(result) == ["dns", "connect", "tls", "greeting", "ehlo", "auth", "quit"]
    assert result.message.startswith("Signed in: this password works for sending")
    received = server.all_received()
    assert b"AUTH PLAIN AHVzZXJAZ21haWwuY29tAGFiY2RlZmdoaWprbG1ub3A=" in received
    assert received.rstrip().endswith(b"QUIT")


def test_starttls_sends_nothing_secret_before_tls(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """587: EHLO, STARTTLS, TLS, EHLO again, then AUTH; no AUTH in the plaintext part."""
    server = serve(
        servers,
        smtp(
            starttls=tls_context(certs),
            plain_extensions=("SIZE 35882577", "8BITMIME", "PIPELINING"),
        ),
    )
    result = check(server, certs, security="starttls")
    assert result.outcome == "ok", result
    assert names(result) == [
        "dns",
        "connect",
        "greeting",
        "ehlo",
        "starttls",
        "tls",
        "ehlo",
        "auth",
        "quit",
    ]
    received = server.all_received()
    plaintext = received[: received.index(b"STARTTLS")]
    assert b"AUTH" not in plaintext
    assert received.count(b"EHLO") == 2


def test_login_when_plain_is_not_offered(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A server offering only AUTH LOGIN gets the user and password base64 in two steps."""
    server = serve(servers, smtp(extensions=("AUTH LOGIN", "8BITMIME")), certs)
    result = check(server, certs)
    assert result.outcome == "ok", result
    assert next(s for s in result.stages if s.name == "auth").detail.startswith("LOGIN:")
    assert b"AUTH LOGIN\r\n" in server.all_received()
    assert b"YWJjZGVmZ2hpamtsbW5vcA==" in server.all_received()


def test_plain_refused_as_unsupported_falls_back_to_login(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """504 to AUTH PLAIN (offered, then not supported) is followed by AUTH LOGIN once."""
    handler = smtp(plain_reply=("504 5.5.4 Unrecognized authentication type",))
    server = serve(servers, handler, certs)
    result = check(server, certs)
    assert result.outcome == "ok", result
    assert [s.detail.split(":")[0] for s in result.stages if s.name == "auth"] == [
        "PLAIN",
        "LOGIN",
    ]


def test_multi_line_greeting(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A greeting over several 220- lines is read whole before EHLO."""
    greeting = ("220-mail.example.test ESMTP", "220-No UCE", "220 ready")
    server = serve(servers, smtp(greeting=greeting), certs)
    assert check(server, certs).outcome == "ok"


@pytest.mark.parametrize(
    ("email", "reply", "outcome"),
    [
        (
            GMAIL,
            (
                "535-5.7.8 Username and Password not accepted. For more information, go to",
                "535 5.7.8  https://support.google.com/mail/?p=BadCredentials a1b2 - gsmtp",
            ),
            "auth_failed",
        ),
        (
            GMAIL,
            (
                "534-5.7.9 Application-specific password required. For more information, go to",
                "534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor a1b2 - gsmtp",
            ),
            "app_password_required",
        ),
        (
            GMAIL,
            (
                "534-5.7.14 <https://accounts.google.com/signin/continue?sarp=1> Please log in",
                "534-5.7.14 via your web browser and then try again.",
                "534 5.7.14  Learn more at https://support.google.com/mail/answer/78754 - gsmtp",
            ),
            "web_login_required",
        ),
        (
            "user@outlook.com",
            (
                "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled "
                "for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. "
                "[AM0PR04CA0001.eurprd04.prod.outlook.com]",
            ),
            "basic_auth_disabled",
        ),
        (
            "user@outlook.com",
            ("535 5.7.139 Authentication unsuccessful, basic authentication is disabled.",),
            "basic_auth_disabled",
        ),
        (
            "user@outlook.com",
            ("535 5.7.3 Authentication unsuccessful [DB8PR09CA0001.eurprd09.prod.outlook.com]",),
            "auth_failed",
        ),
        (
            GMAIL,
            ("454 4.7.0 Too many login attempts, please try again later. a1b2 - gsmtp",),
            "throttled",
        ),
        (
            GMAIL,
            ("421 4.7.0 Try again later, closing connection. (AUTH) a1b2 - gsmtp",),
            "throttled",
        ),
        ("user@yahoo.com", ("535 5.7.0 (#AUTH005) Too many bad auth attempts.",), "throttled"),
        (
            "user@example.com",
            ("535 5.7.8 Error: authentication failed: authentication failure",),
            "auth_failed",
        ),
        (
            "user@example.com",
            ("454 4.7.0 Temporary authentication failure",),
            "server_unavailable",
        ),
        ("user@example.com", ("534 5.7.9 Authentication mechanism is too weak",), "login_disabled"),
    ],
)
def test_refusals_from_providers_texts(
    servers: list[ScriptedServer],
    certs: CertSet,
    email: str,
    reply: tuple[str, ...],
    outcome: str,
) -> None:
    """Each provider's refusal of AUTH gives the outcome IMAP gives for the same cause, and
    the server's own words."""
    server = serve(servers, smtp(auth=reply), certs)
    result = check(server, certs, email=email)
    assert result.outcome == outcome, result
    assert result.server_text is not None
    assert reply[0] in result.server_text
    if outcome == "app_password_required":
        assert result.link == "https://myaccount.google.com/apppasswords"


def test_throttled_greeting(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A 421 4.7.0 greeting is throttled, and nothing is sent."""
    server = serve(servers, greeter("421 4.7.0 Try again later, closing connection."), certs)
    result = check(server, certs)
    assert result.outcome == "throttled"
    assert b"AUTH" not in server.all_received()


def test_auth_not_offered(servers: list[ScriptedServer], certs: CertSet) -> None:
    """No AUTH in EHLO after TLS (a port-25 relay, say): auth_not_offered, no password sent."""
    server = serve(servers, smtp(extensions=("8BITMIME", "PIPELINING")), certs)
    result = check(server, certs)
    assert result.outcome == "auth_not_offered"
    assert b"AUTH" not in server.all_received()


def test_only_oauth_offered(servers: list[ScriptedServer], certs: CertSet) -> None:
    """Only XOAUTH2 offered: no password works, said as basic_auth_disabled naming it."""
    server = serve(servers, smtp(extensions=("AUTH XOAUTH2",)), certs)
    result = check(server, certs, email="user@outlook.com")
    assert result.outcome == "basic_auth_disabled"
    assert "XOAUTH2" in result.message
    assert b"AUTH" not in server.all_received()


def test_no_starttls_offered(servers: list[ScriptedServer], certs: CertSet) -> None:
    """587 without STARTTLS: no_encryption, and the password never crosses in plain text."""
    server = serve(servers, smtp())
    result = check(server, certs, security="starttls")
    assert result.outcome == "no_encryption"
    assert b"AUTH" not in server.all_received()


def test_imap_server_on_the_sending_port(servers: list[ScriptedServer], certs: CertSet) -> None:
    """An IMAP greeting where SMTP was expected, over TLS and in plain text: imap_port."""
    over_tls = serve(servers, imap(), certs)
    assert check(over_tls, certs).outcome == "imap_port"
    plain = serve(servers, imap())
    assert check(plain, certs, security="starttls").outcome == "imap_port"


def test_pop3_and_other_protocols(servers: list[ScriptedServer], certs: CertSet) -> None:
    """POP3 says pop3_port; an SSH banner not_smtp."""
    pop = serve(servers, greeter("+OK POP3 ready"))
    assert check(pop, certs, security="starttls").outcome == "pop3_port"
    ssh = serve(servers, greeter("SSH-2.0-OpenSSH_9.2p1"))
    assert check(ssh, certs, security="starttls").outcome == "not_smtp"


def test_plain_smtp_on_port_set_to_tls(servers: list[ScriptedServer], certs: CertSet) -> None:
    """SSL/TLS chosen for a STARTTLS port: security_mismatch from the first bytes."""
    server = serve(servers, smtp(starttls=tls_context(certs)))
    result = check(server, certs, security="tls")
    assert result.outcome == "security_mismatch"
    assert "STARTTLS" in result.hint


def test_implicit_tls_port_set_to_starttls(servers: list[ScriptedServer], certs: CertSet) -> None:
    """STARTTLS chosen for 465 (silent until a ClientHello): security_mismatch, quickly."""
    server = serve(servers, smtp(), certs)
    started = time.monotonic()
    result = check(server, certs, security="starttls")
    assert result.outcome == "security_mismatch"
    assert "465" in result.hint
    assert time.monotonic() - started < 3


def test_echoed_password_is_scrubbed(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A server echoing the AUTH PLAIN blob in its refusal never passes the secret on."""
    blob = "AHVzZXJAZ21haWwuY29tAGFiY2RlZmdoaWprbG1ub3A="
    server = serve(servers, smtp(auth=(f"535 5.7.8 bad credentials {blob}",)), certs)
    result = check(server, certs)
    assert result.outcome == "auth_failed"
    assert result.server_text is not None
    assert "ZGVmZ2hpamtsbW5vcA" not in result.server_text


def silent_port(servers: list[ScriptedServer]) -> tuple[ScriptedServer, list[socket.socket]]:
    """A listener whose backlog is full: SYNs are dropped, as by a blocking firewall."""
    server = serve(servers, silent, backlog=0, accept=False)
    fillers = []
    for _ in range(4):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", server.port))
        fillers.append(s)
    time.sleep(0.2)
    return server, fillers


@pytest.mark.parametrize("other_answers", [True, False])
def test_silent_587_says_whether_465_answered(
    servers: list[ScriptedServer],
    certs: CertSet,
    monkeypatch: pytest.MonkeyPatch,
    other_answers: bool,
) -> None:
    """A connect_timeout on 587 says networks often block it, and whether 465 answered."""
    blocked, fillers = silent_port(servers)
    if other_answers:
        other = serve(servers, smtp(), certs).port
    else:
        other_server, more = silent_port(servers)
        fillers += more
        other = other_server.port
    monkeypatch.setattr(smtp_probe, "OTHER_PORT", {blocked.port: other})
    monkeypatch.setattr(smtp_probe, "OTHER_PORT_TIMEOUT", 0.5)
    try:
        settings = ServerSettings(
            host="localhost", port=blocked.port, security="starttls", ca_file=str(certs.ca_file)
        )
        request = CheckRequest(GMAIL, SecretStr(APP_PASSWORD), settings, 1, True, "smtp")
        result = run(request)
    finally:
        for s in fillers:
            s.close()
    assert result.outcome == "connect_timeout"
    if other_answers:
        assert f"Port {other} on localhost answered" in result.hint
    else:
        assert f"Port {other} did not answer either" in result.hint


def test_receiving_and_sending_run_at_once(servers: list[ScriptedServer], certs: CertSet) -> None:
    """IMAP and SMTP are checked concurrently: two servers that each take 0.6 s to greet are
    both answered in well under the 1.2 s the two would take one after the other."""

    def slow(handler):  # type: ignore[no-untyped-def]
        def handle(conn):  # type: ignore[no-untyped-def]
            time.sleep(0.6)
            handler(conn)

        return handle

    imap_server = serve(servers, slow(imap()), certs)
    smtp_server = serve(servers, slow(smtp()), certs)

    def settings(port: int) -> ServerSettings:
        return ServerSettings(
            host="localhost", port=port, security="tls", ca_file=str(certs.ca_file)
        )

    password = SecretStr(APP_PASSWORD)
    receiving = CheckRequest(GMAIL, password, settings(imap_server.port), 5, True)
    sending = CheckRequest(GMAIL, password, settings(smtp_server.port), 5, True, "smtp")
    started = time.monotonic()
    imap_result, smtp_result = run_pair(receiving, sending)
    took = time.monotonic() - started
    assert imap_result.outcome == "ok"
    assert isinstance(smtp_result, CheckResult)
    assert smtp_result.outcome == "ok"
    assert took < 1.0

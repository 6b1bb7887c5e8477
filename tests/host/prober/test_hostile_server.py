"""A hostile or broken server cannot exhaust the host, outlast the deadline, or learn a secret."""

from __future__ import annotations

import base64
import json
import logging
import socket
import ssl
import struct
import time
from collections.abc import Iterator

import pytest
import trustme
from pydantic import SecretStr

from imapkey.errors import ImapkeyError
from imapkey.prober.check import CheckRequest, run
from imapkey.prober.models import CheckResult, ServerSettings
from support.certs import CertSet, issue
from support.scripted import Conn, ScriptedServer, imap

PASSWORD = "Zq7-secret-Canary-42"
EMAIL = "someone@example.org"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory, ca: trustme.CA) -> CertSet:
    return issue(tmp_path_factory.mktemp("hostile-certs"), "hostile", ca)


@pytest.fixture
def servers() -> Iterator[list[ScriptedServer]]:
    started: list[ScriptedServer] = []
    yield started
    for server in started:
        server.close()


def check(
    server: ScriptedServer,
    certs: CertSet,
    password: str = PASSWORD,
    security: str = "tls",
    timeout: float = 5,
    email: str = EMAIL,
) -> CheckResult:
    settings = ServerSettings(
        host="localhost", port=server.port, security=security, ca_file=str(certs.ca_file)
    )
    return run(CheckRequest(email, SecretStr(password), settings, timeout, force=True))


def test_a_flood_of_untagged_lines_ends_in_protocol_error(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """A server that never stops sending lines is cut off after 1 MiB, long before the deadline."""

    def flood(conn: Conn) -> None:
        conn.line("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready")
        conn.recv_line()
        chunk = ("* NO " + "x" * 1000 + "\r\n").encode() * 64
        while True:
            conn.send(chunk)

    server = ScriptedServer(flood, certs)
    servers.append(server)
    started = time.monotonic()
    result = check(server, certs, timeout=60)
    assert time.monotonic() - started < 10
    assert result.outcome == "protocol_error"
    assert "1 MiB" in result.message
    assert len(result.server_text or "") < 30_000  # what is kept of the server's words is bounded


def test_a_tcp_reset_is_connection_lost(servers: list[ScriptedServer], certs: CertSet) -> None:
    """A server (or middlebox) that resets the connection at login gives connection_lost."""

    def reset(conn: Conn) -> None:
        conn.line("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready")
        conn.recv_line()
        # Linger 0: close() sends RST instead of FIN (and no TLS close_notify is sent).
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.sock.close()

    server = ScriptedServer(reset, certs)
    servers.append(server)
    result = check(server, certs)
    assert result.outcome == "connection_lost"
    assert result.stages[-1].name == "login"
    assert result.stages[-1].ok is False


def _echoing(form: str) -> object:
    """A server that answers the login by quoting back what it received, in ``form``."""

    def handle(conn: Conn) -> None:
        sasl = form == "sasl"
        caps = "IMAP4rev1 AUTH=PLAIN SASL-IR" if sasl else "IMAP4rev1"
        conn.line(f"* OK [CAPABILITY {caps}] ready")
        line = conn.recv_line() or ""
        tag, _, rest = line.partition(" ")
        sent = rest.rsplit(" ", 1)[-1]  # the SASL blob, or the quoted password
        echo = {
            # The tagged line's first 300 characters end ten characters into the password.
            "cut": "x" * 259 + " " + sent,
            "upper": "you sent " + sent.upper(),
            "sasl": "you sent " + sent,
        }[form]
        conn.line(f"* NO [ALERT] {echo}")
        conn.line(f"{tag} NO [AUTHENTICATIONFAILED] {echo}")
        conn.recv_line()

    return handle


@pytest.mark.parametrize("form", ["cut", "upper", "sasl"])
def test_an_echoed_password_is_scrubbed_in_every_form(
    form: str,
    servers: list[ScriptedServer],
    certs: CertSet,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No form or prefix of the password a server echoes reaches the result or the debug log:
    cut after scrubbing, upper-cased, or as the base64 SASL blob."""
    server = ScriptedServer(_echoing(form), certs)  # type: ignore[arg-type]
    servers.append(server)
    logging.getLogger("imapkey").propagate = True
    with caplog.at_level(logging.DEBUG, logger="imapkey"):
        result = check(server, certs)
    assert result.outcome == "auth_failed"
    assert "••••••" in (result.server_text or "")
    emitted = json.dumps(result.model_dump(mode="json")) + caplog.text
    blob = base64.b64encode(f"\0{EMAIL}\0{PASSWORD}".encode()).decode()
    for secret in (PASSWORD[:6], PASSWORD[-6:], blob[-12:]):
        assert secret.lower() not in emitted.lower()


def _recording(caps: str, starttls_answer: str | None = None) -> object:
    """Greets with ``caps``; records the login (reading literals as the client announces)."""
    return imap(greeting=f"* OK [CAPABILITY {caps}] ready", capabilities=caps)


def test_a_password_ending_in_a_newline_goes_as_a_literal(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """A trailing newline never travels inside a quoted string: the password is a literal."""
    server = ScriptedServer(_recording("IMAP4rev1 LITERAL+"), certs)  # type: ignore[arg-type]
    servers.append(server)
    check(server, certs, password="abc-password\n")
    sent = server.all_received()
    assert b'"abc-password\n"' not in sent
    assert b"{13+}\r\nabc-password\n" in sent


def test_literal_minus_is_synchronizing_beyond_4096_bytes(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """Under LITERAL- a password over 4096 bytes waits for the server's go-ahead (RFC 7888)."""
    long = "é" * 2100  # 4200 bytes in UTF-8: not quotable, too long for LITERAL-
    server = ScriptedServer(_recording("IMAP4rev1 LITERAL-"), certs)  # type: ignore[arg-type]
    servers.append(server)
    result = check(server, certs, password=long)
    assert result.outcome == "ok"
    sent = server.all_received()
    assert b"{4200}\r\n" in sent
    assert b"{4200+}" not in sent


def test_a_continuation_is_no_answer_to_starttls(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """ "+ OK" in reply to STARTTLS is a protocol error, not permission to go on."""

    def plus_ok(conn: Conn) -> None:
        conn.line("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN SASL-IR] ready")
        conn.recv_line()
        conn.line("+ OK go ahead")
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(certs.cert_file, certs.key_file)
        conn.start_tls(ctx)  # a server that would go on: the client must not
        imap(greeting="* OK again")(conn)

    server = ScriptedServer(plus_ok)
    servers.append(server)
    result = check(server, certs, security="starttls")
    assert result.outcome == "protocol_error"
    assert PASSWORD.encode() not in server.all_received()


def test_a_nul_in_the_address_is_refused_before_connecting(
    servers: list[ScriptedServer], certs: CertSet
) -> None:
    """An address with a NUL in it (a SASL PLAIN field separator) is invalid_request."""
    server = ScriptedServer(_recording("IMAP4rev1 AUTH=PLAIN SASL-IR"), certs)  # type: ignore[arg-type]
    servers.append(server)
    with pytest.raises(ImapkeyError) as raised:
        check(server, certs, email="me\0@example.org")
    assert raised.value.code == "invalid_request"
    assert server.received == []


def test_a_resolver_that_never_answers_obeys_the_deadline(
    certs: CertSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With DNS hanging, a check with a 1 s limit answers dns_failed in about 1 s."""
    import socket as socket_module

    release = __import__("threading").Event()

    def hang(*args: object, **kwargs: object) -> object:
        release.wait(30)
        raise socket_module.gaierror(-3, "Temporary failure in name resolution")

    monkeypatch.setattr(socket_module, "getaddrinfo", hang)
    settings = ServerSettings(host="imap.example.org", port=993, security="tls")
    started = time.monotonic()
    try:
        result = run(CheckRequest(EMAIL, SecretStr(PASSWORD), settings, 1, force=True))
    finally:
        release.set()
    assert time.monotonic() - started < 2.5
    assert result.outcome == "dns_failed"

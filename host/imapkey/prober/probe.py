"""One login check as a ladder of stages, ending in exactly one outcome.

dns → connect → (tls | greeting → [capability] → starttls → tls) → [greeting] → login → logout.

It sends no command the answer does not need: no CAPABILITY when the greeting carried it or
implicit TLS makes it moot, and LOGOUT is sent but not awaited. A wrong security setting is
diagnosed from the first bytes the server sends, or — when a port stays silent waiting for a
TLS ClientHello — by racing a TLS probe after a short wait, never by waiting out the timeout.
Credentials are only ever written after a verified TLS handshake.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import re
import socket
import ssl
import time
from dataclasses import dataclass, field

from imapkey.errors import INVALID_REQUEST, ImapkeyError
from imapkey.prober import classify, tlsconfig, wire
from imapkey.prober import outcomes as o
from imapkey.prober.models import CheckResult, ServerSettings, Stage
from imapkey.prober.providers import GMAIL, Provider
from imapkey.prober.transport import (
    Closed,
    Endpoint,
    Flooded,
    NotTls,
    Stream,
    happy_connect,
    resolve,
)

log = logging.getLogger("imapkey.prober")

CONNECT_TIMEOUT = 10.0
# How long a plaintext port may stay silent before we suspect it waits for TLS.
PROBE_DELAY_MIN = 0.4
PROBE_DELAY_RTTS = 4
# How long the answer to the EXAMINE pipelined after the login may lag behind the login's own.
CHECK_GRACE_MIN = 1.0
CHECK_GRACE_RTTS = 4
APP_PASSWORD = re.compile(r"[A-Za-z]{16}")
REDACTED = "••••••"
DETAIL_LIMIT = 300  # characters of a server's line kept in a stage's detail
SERVER_LINE_LIMIT = 1000
SERVER_LINES_KEPT = 20
MIN_ENCODED_FORM = 6  # shorter base64 fragments would scrub ordinary words


class Stop(Exception):
    """Ends the ladder with an outcome."""

    def __init__(
        self, outcome: str, detail: str = "", message: str | None = None, hint: str | None = None
    ) -> None:
        super().__init__(outcome)
        self.outcome = outcome
        self.detail = detail
        self.message = message
        self.hint = hint


@dataclass
class Credentials:
    user: str
    password: str
    warnings: list[str] = field(default_factory=list)


def prepare(email: str, password: str, provider: Provider | None) -> Credentials:
    """App passwords are shown in groups of four: send them without the spaces."""
    creds = Credentials(email.strip(), password)
    compact = "".join(password.split())
    if APP_PASSWORD.fullmatch(compact):
        if compact != password:
            creds.password = compact
            creds.warnings.append(
                "Spaces were removed: app passwords are shown in groups of four but used "
                "without spaces."
            )
    elif provider is GMAIL:
        creds.warnings.append(
            "This does not look like a Google app password (16 letters). Google refuses the "
            "account password over IMAP; create an app password if this one fails."
        )
    return creds


def sent_forms(secret: str) -> set[str]:
    """Every form in which ``secret`` may cross the wire, hence come back in an echo: as it
    is, escaped inside a quoted string, and base64 (SASL) at each of the three alignments it
    can have inside a longer blob."""
    forms = {secret, secret.replace("\\", "\\\\").replace('"', '\\"')}
    data = secret.encode("utf-8")
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + data).decode("ascii")
        # Only the characters whose six bits all come from the secret are the same in any
        # blob that carries it at this alignment.
        core = encoded[-(-8 * pad // 6) : 8 * (pad + len(data)) // 6]
        if len(core) >= MIN_ENCODED_FORM:
            forms.add(core)
    return {f for f in forms if f}


def refuse_unsendable(creds: Credentials) -> None:
    """Credentials no server could accept are refused before anything is sent or counted
    toward the lockout: an empty password, or a NUL (SASL PLAIN's field separator)."""
    if not creds.password:
        raise ImapkeyError(
            "The password is empty.",
            "Paste the app password (16 letters) or type the password.",
            code=INVALID_REQUEST,
        )
    if "\0" in creds.user or "\0" in creds.password:
        raise ImapkeyError(
            "The address or password contains a NUL character, which IMAP cannot carry.",
            "Check what was pasted: an app password is 16 letters.",
            code=INVALID_REQUEST,
        )


class Ladder:
    """Stages with their timings, and the server's own words seen on the way."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        self.started = time.monotonic()
        self.stages: list[Stage] = []
        self.server_lines: list[str] = []
        forms = set().union(*(sent_forms(s) for s in secrets if s))
        # Longest first, so a form containing another is scrubbed whole; case-blind, since a
        # server may echo in capitals.
        pattern = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
        self._secrets = re.compile(pattern, re.IGNORECASE) if pattern else None
        self._stage_start = self.started

    def begin(self) -> None:
        self._stage_start = time.monotonic()

    def end(self, name: str, ok: bool, detail: str = "") -> None:
        ms = (time.monotonic() - self._stage_start) * 1000
        detail = self.scrub(detail)[:DETAIL_LIMIT]
        self.stages.append(Stage(name=name, ok=ok, ms=round(ms, 1), detail=detail))
        self._stage_start = time.monotonic()

    def heard(self, line: str) -> None:
        if len(self.server_lines) < SERVER_LINES_KEPT:
            self.server_lines.append(self.scrub(line)[:SERVER_LINE_LIMIT])

    def scrub(self, text: str) -> str:
        """A misbehaving server may echo what it was sent; never pass a secret on. Scrubbed
        before anything is cut, so not even a prefix of a secret survives."""
        return self._secrets.sub(REDACTED, text) if self._secrets else text

    @property
    def elapsed_ms(self) -> float:
        return round((time.monotonic() - self.started) * 1000, 1)


class Probe:
    """Runs one check; ``run`` always returns a result, never raises for the server's sake."""

    def __init__(
        self,
        email: str,
        password: str,
        server: ServerSettings,
        timeout: float,
        provider: Provider | None,
    ) -> None:
        self.server = server
        self.provider = provider
        self.creds = prepare(email, password, provider)
        refuse_unsendable(self.creds)
        self.stage = "dns"
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout
        self.ladder = Ladder((password, self.creds.password))
        self.tls_context = tlsconfig.context(server.ca_file)
        self.stream: Stream | None = None
        self.endpoint: Endpoint | None = None
        self.connect_seconds = 0.0
        self.capabilities: frozenset[str] | None = None
        self._tag = 0
        self.ask_capabilities = False

    # -- plumbing ------------------------------------------------------------------------

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def next_tag(self) -> str:
        self._tag += 1
        return f"k{self._tag}"

    async def read_response(self, stream: Stream) -> wire.Response:
        try:
            line = await asyncio.wait_for(stream.read_line(), self.remaining())
        except TimeoutError:
            raise Stop(o.TIMEOUT, "no answer before the time limit") from None
        response = wire.parse_line(line)
        if response.kind in ("NO", "BAD", "BYE") or response.code_name in ("ALERT", "WEBALERT"):
            self.ladder.heard(response.raw)
        return response

    async def command(self, text: str) -> tuple[wire.Response, list[wire.Response]]:
        """Send ``<tag> text`` and read to its tagged answer: (tagged, untagged seen)."""
        assert self.stream is not None
        tag = self.next_tag()
        await self.stream.write(f"{tag} {text}\r\n".encode())
        tagged, untagged = await self.until_tagged(tag)
        if tagged.tag == "+":  # e.g. "+ OK" to STARTTLS: not an answer to this command
            self.ladder.end(self.stage, False, tagged.raw)
            raise Stop(o.PROTOCOL_ERROR, f"continuation request in answer to {text}")
        return tagged, untagged

    async def until_tagged(self, tag: str) -> tuple[wire.Response, list[wire.Response]]:
        assert self.stream is not None
        untagged: list[wire.Response] = []
        while True:
            try:
                response = await self.read_response(self.stream)
            except Closed:
                raise Stop(
                    o.SERVER_UNAVAILABLE
                    if any(r.kind == "BYE" for r in untagged)
                    else o.PROTOCOL_ERROR,
                    "the server closed the connection",
                    message="The server closed the connection before answering.",
                ) from None
            if response.tag == tag:
                return response, untagged
            if response.tag == "+":
                return response, untagged
            if response.tag != "*":
                raise Stop(o.PROTOCOL_ERROR, f"unexpected line: {response.raw}")
            caps = wire.capabilities(response)
            if caps is not None:
                self.capabilities = caps
            untagged.append(response)

    # -- the ladder ------------------------------------------------------------------------

    async def run(self) -> CheckResult:
        try:
            await self.connect()
            if self.server.security == "tls":
                await self.handshake()
                await self.greeting()
            else:
                await self.plaintext_greeting()
                await self.starttls()
                await self.handshake()
            await self.login()
            await self.logout()
            return self.result(o.OK)
        except Stop as stop:
            return self.stopped(stop)
        except Flooded:
            self.ladder.end(self.stage, False, "more than 1 MiB from the server")
            return self.stopped(
                Stop(
                    o.PROTOCOL_ERROR,
                    "flooded",
                    message="The server sent far more than a login needs (over 1 MiB), so "
                    "the check was stopped.",
                )
            )
        except ConnectionError as exc:
            self.ladder.end(self.stage, False, f"connection {type(exc).__name__}")
            return self.stopped(Stop(o.CONNECTION_LOST, type(exc).__name__))
        except ssl.SSLError as exc:  # after the handshake: a broken record, a bad alert
            self.ladder.end(self.stage, False, exc.reason or type(exc).__name__)
            return self.stopped(
                Stop(
                    o.PROTOCOL_ERROR,
                    f"TLS failed: {exc.reason}",
                    message="The secure connection broke off part-way through.",
                )
            )
        finally:
            if self.stream is not None:
                self.stream.close()

    def stopped(self, stop: Stop) -> CheckResult:
        log.debug("stopped with %s: %s", stop.outcome, self.ladder.scrub(stop.detail)[:300])
        return self.result(stop.outcome, stop.message, stop.hint)

    async def connect(self) -> None:
        host, port = self.server.host, self.server.port
        self.ladder.begin()
        try:
            addresses = await asyncio.wait_for(resolve(host, port), self.remaining())
        except socket.gaierror as exc:
            self.ladder.end("dns", False, exc.strerror or str(exc))
            raise Stop(o.DNS_FAILED, f"{host}: {exc.strerror}") from None
        except TimeoutError:
            self.ladder.end("dns", False, "timed out")
            raise Stop(o.DNS_FAILED, f"{host}: no answer from DNS in time") from None
        self.ladder.end("dns", True, ", ".join(a for _, (a, _p) in addresses))
        self.stage = "connect"
        started = time.monotonic()
        try:
            sock, endpoint = await asyncio.wait_for(
                happy_connect(addresses), min(CONNECT_TIMEOUT, self.remaining())
            )
        except TimeoutError:
            self.ladder.end("connect", False, f"no answer from port {port}")
            raise Stop(o.CONNECT_TIMEOUT, f"{host}:{port}") from None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.ladder.end("connect", False, f"port {port}: {reason}")
            raise Stop(o.CONNECTION_REFUSED, f"{host}:{port}: {reason}") from None
        self.connect_seconds = time.monotonic() - started
        self.endpoint = endpoint
        self.stream = await Stream.open(sock)
        self.ladder.end("connect", True, f"{endpoint.label} port {port}")

    async def handshake(self) -> None:
        assert self.stream is not None
        self.stage = "tls"
        try:
            await asyncio.wait_for(
                self.stream.start_tls(self.tls_context, self.server.host), self.remaining()
            )
        except NotTls as exc:
            self.ladder.end("tls", False, "the server answered in plain text")
            raise self.plaintext_on_tls_port(exc.first_bytes) from None
        except ssl.SSLCertVerificationError as exc:
            self.ladder.end("tls", False, exc.verify_message or "certificate not verified")
            raise Stop(tlsconfig.certificate_outcome(exc), exc.verify_message or "") from None
        except ssl.SSLError as exc:
            self.ladder.end("tls", False, exc.reason or type(exc).__name__)
            raise Stop(
                o.PROTOCOL_ERROR,
                f"TLS failed: {exc.reason}",
                message="The secure connection could not be set up.",
            ) from None
        except Closed:
            self.ladder.end("tls", False, "the server closed the connection")
            raise Stop(
                o.PROTOCOL_ERROR,
                "closed during the TLS handshake",
                message="The server closed the connection during the TLS handshake.",
            ) from None
        except TimeoutError:
            self.ladder.end("tls", False, "no answer to the TLS handshake")
            raise Stop(
                o.TIMEOUT,
                "no answer to the TLS handshake",
                message="The server did not answer the TLS handshake.",
                hint="Check the port and the security setting: 993 is SSL/TLS, 143 STARTTLS.",
            ) from None
        tls = self.stream.tls
        assert tls is not None
        self.ladder.end(
            "tls", True, f"{tls.version()}, certificate for {self.server.host} verified"
        )

    def plaintext_on_tls_port(self, first: bytes) -> Stop:
        """SSL/TLS was chosen but the port answered in plain text: say what it speaks."""
        line = first.split(b"\r\n", 1)[0]
        self.ladder.heard(line.decode("utf-8", "replace"))
        kind = classify.greeting(line)
        if kind in (None, o.SERVER_UNAVAILABLE):
            return Stop(
                o.SECURITY_MISMATCH,
                "plain IMAP on a port set to SSL/TLS",
                message=f"Port {self.server.port} speaks plain IMAP that is upgraded with "
                "STARTTLS, but SSL/TLS was chosen.",
                hint="Choose STARTTLS for this port, or SSL/TLS with port 993.",
            )
        return Stop(kind, "plain-text greeting on a port set to SSL/TLS")

    async def greeting(self) -> None:
        """The greeting after implicit TLS."""
        assert self.stream is not None
        self.stage = "greeting"
        try:
            line = await asyncio.wait_for(self.stream.read_line(), self.remaining())
        except TimeoutError:
            self.ladder.end("greeting", False, "no greeting")
            raise Stop(o.GREETING_TIMEOUT) from None
        except Closed:
            self.ladder.end("greeting", False, "closed without a greeting")
            raise Stop(o.NOT_IMAP, "closed without a greeting") from None
        self.accept_greeting(line, over_tls=True)

    def accept_greeting(self, line: bytes, over_tls: bool) -> None:
        response = wire.parse_line(line)
        kind = classify.greeting(line)
        self.ladder.end("greeting", kind is None, response.raw)
        if kind is not None:
            self.ladder.heard(response.raw)
            if over_tls and kind in (o.POP3_PORT, o.SMTP_PORT):
                raise Stop(kind, "over SSL/TLS")
            raise Stop(kind)
        if response.kind == "PREAUTH":
            raise Stop(
                o.PROTOCOL_ERROR,
                "PREAUTH greeting",
                message="The server logged in without asking for a password, so the password "
                "could not be checked.",
            )
        self.capabilities = wire.capabilities(response)

    async def plaintext_greeting(self) -> None:
        """STARTTLS: wait for the plain greeting; if the port stays silent, race a TLS probe."""
        assert self.stream is not None
        assert self.endpoint is not None
        self.stage = "greeting"
        wait = max(PROBE_DELAY_MIN, PROBE_DELAY_RTTS * self.connect_seconds)
        read = asyncio.ensure_future(self.stream.read_line())
        probe: asyncio.Future[Stop | None] | None = None
        try:
            await asyncio.wait({read}, timeout=min(wait, self.remaining()))
            if not read.done():
                probe = asyncio.ensure_future(self.tls_probe(self.endpoint))
                await asyncio.wait(
                    {read, probe}, timeout=self.remaining(), return_when=asyncio.FIRST_COMPLETED
                )
                if not read.done() and probe.done():
                    verdict = probe.result()
                    if verdict is not None:
                        self.ladder.end("greeting", False, "silent: the port waits for TLS")
                        raise verdict
                    await asyncio.wait({read}, timeout=self.remaining())
            if not read.done():
                self.ladder.end("greeting", False, "no greeting")
                raise Stop(o.GREETING_TIMEOUT)
            try:
                line = read.result()
            except Closed:
                self.ladder.end("greeting", False, "closed without a greeting")
                raise Stop(o.NOT_IMAP, "closed without a greeting") from None
        finally:
            read.cancel()
            if probe is not None:
                probe.cancel()
        if line[:1] in (b"\x15", b"\x16"):
            self.ladder.end("greeting", False, "TLS bytes")
            raise Stop(o.PROTOCOL_ERROR, "TLS record instead of a greeting")
        self.accept_greeting(line, over_tls=False)

    async def tls_probe(self, endpoint: Endpoint) -> Stop | None:
        """On a second connection: does this port speak TLS (and what, behind it)?"""
        try:
            sock, _ = await happy_connect([(endpoint.family, (endpoint.address, self.server.port))])
        except OSError:
            return None
        stream = await Stream.open(sock)
        try:
            try:
                await stream.start_tls(self.tls_context, self.server.host)
            except ssl.SSLCertVerificationError:
                pass  # a certificate at all proves the port speaks TLS
            except (NotTls, ssl.SSLError, Closed):
                return None
            behind = None
            if stream.tls is not None:
                try:
                    behind = classify.greeting(await asyncio.wait_for(stream.read_line(), 2))
                except (TimeoutError, Closed, ssl.SSLError):
                    behind = None
            if behind in (o.POP3_PORT, o.SMTP_PORT):
                return Stop(behind, "over SSL/TLS")
            return Stop(
                o.SECURITY_MISMATCH,
                "port expects SSL/TLS from the start",
                message=f"Port {self.server.port} expects SSL/TLS from the first byte, but "
                "STARTTLS was chosen.",
                hint="Choose SSL/TLS for this port (993), or STARTTLS with port 143.",
            )
        finally:
            stream.close()

    async def starttls(self) -> None:
        self.stage = "capability"
        if self.capabilities is None:
            tagged, _ = await self.command("CAPABILITY")
            self.ladder.end(
                "capability", tagged.kind == "OK", " ".join(sorted(self.capabilities or ()))
            )
        if "STARTTLS" not in (self.capabilities or ()):
            raise Stop(o.NO_ENCRYPTION, "STARTTLS not offered")
        self.stage = "starttls"
        tagged, _ = await self.command("STARTTLS")
        if tagged.kind != "OK":
            self.ladder.end("starttls", False, tagged.raw)
            raise Stop(o.NO_ENCRYPTION, f"STARTTLS refused: {tagged.raw}")
        self.ladder.end("starttls", True, tagged.text)
        # RFC 3501: forget what was said before TLS. Ask again after the handshake only when
        # the answer matters: a server that disabled LOGIN in plain text may keep it disabled.
        self.ask_capabilities = "LOGINDISABLED" in (self.capabilities or ())
        self.capabilities = None

    async def login(self) -> None:
        """Log in, and open the mailbox read-only in the same flight.

        LOGIN when the credentials are ASCII and LOGIN is allowed: iCloud has refused
        AUTHENTICATE PLAIN where LOGIN worked, and Zoho answered it ``BAD [CLIENTBUG]``.
        AUTHENTICATE PLAIN (UTF-8 by definition) for anything else, or under LOGINDISABLED;
        after a BAD to it (never a NO: that is a verdict on the password) LOGIN is tried once.
        """
        assert self.stream is not None
        self.stage = "capability"
        if self.ask_capabilities:
            tagged, _ = await self.command("CAPABILITY")
            caps_seen = " ".join(sorted(self.capabilities or ()))
            self.ladder.end("capability", tagged.kind == "OK", caps_seen)
        caps = self.capabilities or frozenset()
        user = self.creds.user
        login_allowed = "LOGINDISABLED" not in caps
        plain = "AUTH=PLAIN" in caps
        if not login_allowed and not plain:
            self.ladder.end("login", False, "LOGINDISABLED")
            raise Stop(o.LOGIN_DISABLED, "the server advertises LOGINDISABLED")
        ascii_only = bool(
            wire.QUOTABLE.fullmatch(user) and wire.QUOTABLE.fullmatch(self.creds.password)
        )
        self.stage = "login"
        if plain and not (login_allowed and ascii_only):
            mechanism = "AUTHENTICATE PLAIN"
            tagged, untagged, check = await self.authenticate_plain(caps)
            if tagged.kind == "BAD" and login_allowed and await self.drain(check):
                self.ladder.end("login", False, f"{mechanism}: {tagged.raw}")
                mechanism = "LOGIN"
                tagged, untagged, check = await self.send_login(caps)
        else:
            mechanism = "LOGIN"
            tagged, untagged, check = await self.send_login(caps)
        if tagged.tag == "+":
            raise Stop(o.PROTOCOL_ERROR, "unexpected continuation request")
        if tagged.kind != "OK":
            verdict = classify.refusal(
                tagged,
                untagged,
                self.provider.id if self.provider else None,
                user.rpartition("@")[2],
                self.server.host,
            )
            self.ladder.end("login", False, f"{mechanism}: {tagged.raw}")
            raise Stop(verdict.outcome, message=verdict.message, hint=verdict.hint)
        self.ladder.end("login", True, f"{mechanism}: {tagged.text}")
        await self.mailbox(check)

    def check_command(self) -> tuple[str, bytes]:
        """EXAMINE INBOX, pipelined after the credentials: read-only, and it fails where a
        server accepts the password but cannot open the mailbox (Outlook's "User is
        authenticated but not connected.", NetEase's "Unsafe Login")."""
        tag = self.next_tag()
        return tag, f"{tag} EXAMINE INBOX\r\n".encode()

    async def send_login(
        self, caps: frozenset[str]
    ) -> tuple[wire.Response, list[wire.Response], str | None]:
        """LOGIN plus the pipelined check: (answer, untagged, the check's tag if it was sent)."""
        assert self.stream is not None
        literal_plus = wire.non_synchronizing(caps, self.creds.password)
        user_arg, user_literal = wire.astring(self.creds.user, literal_plus)
        pass_arg, pass_literal = wire.astring(self.creds.password, literal_plus)
        if user_literal is not None:
            raise Stop(o.AUTH_FAILED, "the address cannot be sent as a quoted string")
        tag = self.next_tag()
        line = f"{tag} LOGIN ".encode() + user_arg + b" " + pass_arg + b"\r\n"
        if pass_literal is not None and not literal_plus:
            await self.stream.write(line)
            check, check_line = self.check_command()
            early = await self.continue_with(tag, pass_literal + b"\r\n" + check_line)
            if early is not None:
                return (*early, None)
        else:
            if pass_literal is not None:
                line += pass_literal + b"\r\n"
            check, check_line = self.check_command()
            await self.stream.write(line + check_line)
        tagged, untagged = await self.until_tagged(tag)
        return tagged, untagged, check

    async def authenticate_plain(
        self, caps: frozenset[str]
    ) -> tuple[wire.Response, list[wire.Response], str | None]:
        """AUTHENTICATE PLAIN (with SASL-IR when offered) plus the pipelined check."""
        assert self.stream is not None
        tag = self.next_tag()
        response = wire.sasl_plain(self.creds.user, self.creds.password)
        if "SASL-IR" in caps:
            check, check_line = self.check_command()
            command = f"{tag} AUTHENTICATE PLAIN ".encode() + response + b"\r\n"
            await self.stream.write(command + check_line)
        else:
            await self.stream.write(f"{tag} AUTHENTICATE PLAIN\r\n".encode())
            check, check_line = self.check_command()
            early = await self.continue_with(tag, response + b"\r\n" + check_line)
            if early is not None:
                return (*early, None)
        tagged, untagged = await self.until_tagged(tag)
        return tagged, untagged, check

    async def continue_with(
        self, tag: str, data: bytes
    ) -> tuple[wire.Response, list[wire.Response]] | None:
        """Wait for the server's ``+`` before sending ``data`` (a literal or SASL response and
        what follows it); if the server answers the command outright instead, return that."""
        answer, untagged = await self.until_tagged(tag)
        if answer.tag != "+":
            return answer, untagged
        assert self.stream is not None
        await self.stream.write(data)
        return None

    async def drain(self, tag: str | None) -> bool:
        """Read past the answer to a check pipelined after a failed login, recording nothing;
        False when the connection did not survive it."""
        assert self.stream is not None
        while tag is not None:
            try:
                line = await asyncio.wait_for(self.stream.read_line(), self.remaining())
            except (TimeoutError, Closed):
                return False
            if wire.parse_line(line).tag == tag:
                break
        return True

    async def mailbox(self, tag: str | None) -> None:
        """The answer to the pipelined EXAMINE. A server that drops commands pipelined after
        the login gets the command once more after a short wait, rather than a timeout."""
        assert self.stream is not None
        self.stage = "mailbox"
        tags: set[str] = set()
        if tag is not None:
            tags.add(tag)
        grace = max(CHECK_GRACE_MIN, CHECK_GRACE_RTTS * self.connect_seconds)
        untagged: list[wire.Response] = []
        while True:
            if len(tags) < 2 and (tag is None or grace <= 0):
                tag, line = self.check_command()
                tags.add(tag)
                await self.stream.write(line)
            started = time.monotonic()
            try:
                limit = min(grace, self.remaining()) if len(tags) < 2 else self.remaining()
                response = await asyncio.wait_for(self.read_response(self.stream), limit)
            except TimeoutError:
                if len(tags) >= 2 or self.remaining() <= 0:
                    self.ladder.end("mailbox", False, "no answer to EXAMINE")
                    raise Stop(o.TIMEOUT, "no answer to EXAMINE after the login") from None
                grace = 0
                continue
            except Closed:
                self.ladder.end("mailbox", False, "the server closed the connection")
                raise Stop(
                    o.MAILBOX_UNAVAILABLE,
                    "closed after the login",
                    message="The server accepted the password, then closed the connection "
                    "instead of opening the mailbox.",
                ) from None
            grace -= time.monotonic() - started
            if response.tag == "*":
                untagged.append(response)
                continue
            if response.tag not in tags:
                raise Stop(o.PROTOCOL_ERROR, f"unexpected line: {response.raw}")
            if response.kind == "OK":
                self.ladder.end("mailbox", True, f"INBOX: {response.text}")
                return
            verdict = classify.after_login(response, untagged)
            self.ladder.end("mailbox", False, response.raw)
            raise Stop(verdict.outcome, message=verdict.message, hint=verdict.hint)

    async def logout(self) -> None:
        """Sent, not awaited: the answer would tell nothing new."""
        assert self.stream is not None
        self.stage = "logout"
        await self.stream.write(f"{self.next_tag()} LOGOUT\r\n".encode())
        self.ladder.end("logout", True, "sent")

    def result(
        self, outcome: str, message: str | None = None, hint: str | None = None
    ) -> CheckResult:
        explanation = o.explain(outcome)
        link = explanation.link
        if outcome in o.GOOGLE_ONLY_LINKS and self.provider is not GMAIL:
            link = None
        if outcome in (o.AUTH_FAILED, o.APP_PASSWORD_REQUIRED) and self.provider:
            link = self.provider.app_password_link or link
        text = "\n".join(self.ladder.server_lines) or None
        return CheckResult(
            ok=outcome == o.OK,
            outcome=outcome,
            message=self.ladder.scrub(message or explanation.message),
            hint=self.ladder.scrub(hint or explanation.hint),
            link=link,
            server_text=text,
            warnings=self.creds.warnings,
            email=self.creds.user,
            provider=self.provider.id if self.provider else None,
            server=self.server,
            stages=self.ladder.stages,
            elapsed_ms=self.ladder.elapsed_ms,
        )

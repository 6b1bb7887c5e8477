"""What every check shares, whatever it speaks: the ladder of stages and one session's plumbing.

A check is a ladder of stages (``dns``, ``connect``, ``tls`` …) ending in exactly one outcome.
The IMAP prober (probe.py) and the SMTP submission prober (smtp.py) climb different rungs
above the TLS handshake; below it they share everything here: the resolver and happy-eyeballs
connect, the verified TLS handshake, the TLS probe raced against a silent plaintext port, the
deadline, the 1 MiB read cap, the scrubbing of every echoed secret, and the one place where a
broken connection, a flood or a broken TLS record become an outcome.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import re
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from imapkey.errors import INVALID_REQUEST, ImapkeyError
from imapkey.prober import outcomes as o
from imapkey.prober import tlsconfig
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


class Session:
    """One check's connection and ladder; ``run`` always returns a result, never raises for
    the server's sake. Subclasses climb their protocol's rungs in ``climb`` and say, through
    the hooks below, what a wrong first line means for their protocol."""

    # Words the shared stages use in messages: "IMAP", "993 is SSL/TLS, 143 STARTTLS."
    protocol = "IMAP"
    ports_hint = "993 is SSL/TLS, 143 STARTTLS."
    tls_port_hint = "Choose SSL/TLS for this port (993), or STARTTLS with port 143."
    # Outcomes whose default words speak of another protocol: replaced by the subclass.
    explanations: ClassVar[Mapping[str, o.Explanation]] = {}

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

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    # -- hooks -------------------------------------------------------------------------

    async def climb(self) -> None:
        """Every stage after ``connect``; returns on success, raises Stop otherwise."""
        raise NotImplementedError

    def plaintext_on_tls_port(self, first: bytes) -> Stop:
        """SSL/TLS was chosen but the port answered in plain text: say what it speaks."""
        raise NotImplementedError

    def behind_tls(self, line: bytes) -> str | None:
        """What the first line read after a TLS probe's handshake says about the port (an
        outcome), or None when it is this protocol's own greeting."""
        raise NotImplementedError

    def closed_without_greeting(self) -> Stop:
        raise NotImplementedError

    def accept_greeting(self, line: bytes, over_tls: bool) -> None:
        raise NotImplementedError

    async def on_connect_timeout(self, stop: Stop) -> Stop:
        """A chance to say more about a port that did not answer."""
        return stop

    # -- the run -------------------------------------------------------------------------

    async def run(self) -> CheckResult:
        try:
            await self.connect()
            await self.climb()
            return self.result(o.OK)
        except Stop as stop:
            if stop.outcome == o.CONNECT_TIMEOUT:
                stop = await self.on_connect_timeout(stop)
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

    # -- shared stages ---------------------------------------------------------------------

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
        """The TLS handshake, certificate verified; nothing secret is sent before it."""
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
                hint=f"Check the port and the security setting: {self.ports_hint}",
            ) from None
        tls = self.stream.tls
        assert tls is not None
        self.ladder.end(
            "tls", True, f"{tls.version()}, certificate for {self.server.host} verified"
        )

    async def tls_greeting(self) -> None:
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
            raise self.closed_without_greeting() from None
        self.accept_greeting(line, over_tls=True)

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
                raise self.closed_without_greeting() from None
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
                    behind = self.behind_tls(await asyncio.wait_for(stream.read_line(), 2))
                except (TimeoutError, Closed, ssl.SSLError):
                    behind = None
            if behind is not None:
                return Stop(behind, "over SSL/TLS")
            return Stop(
                o.SECURITY_MISMATCH,
                "port expects SSL/TLS from the start",
                message=f"Port {self.server.port} expects SSL/TLS from the first byte, but "
                "STARTTLS was chosen.",
                hint=self.tls_port_hint,
            )
        finally:
            stream.close()

    def result(
        self, outcome: str, message: str | None = None, hint: str | None = None
    ) -> CheckResult:
        explanation = self.explanations.get(outcome) or o.explain(outcome)
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

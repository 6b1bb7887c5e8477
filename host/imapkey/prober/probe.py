"""IMAP: one login check as a ladder of stages, ending in exactly one outcome.

dns → connect → (tls | greeting → [capability] → starttls → tls) → [greeting] → login →
mailbox → logout. The rungs up to the TLS handshake are shared with the SMTP prober
(ladder.py); this module climbs IMAP's.

It sends no command the answer does not need: no CAPABILITY when the greeting carried it or
implicit TLS makes it moot, and LOGOUT is sent but not awaited. A wrong security setting is
diagnosed from the first bytes the server sends, or — when a port stays silent waiting for a
TLS ClientHello — by racing a TLS probe after a short wait, never by waiting out the timeout.
Credentials are only ever written after a verified TLS handshake.
"""

from __future__ import annotations

import asyncio
import time

from imapkey.prober import classify, wire
from imapkey.prober import outcomes as o
from imapkey.prober.ladder import (
    Credentials,
    Ladder,
    Session,
    Stop,
    prepare,
    refuse_unsendable,
    sent_forms,
)
from imapkey.prober.models import ServerSettings
from imapkey.prober.providers import Provider
from imapkey.prober.transport import Closed, Stream

__all__ = ["Credentials", "Ladder", "Probe", "Stop", "prepare", "refuse_unsendable", "sent_forms"]

# How long the answer to the EXAMINE pipelined after the login may lag behind the login's own.
CHECK_GRACE_MIN = 1.0
CHECK_GRACE_RTTS = 4


class Probe(Session):
    """Runs one IMAP check; ``run`` always returns a result, never raises for the server's
    sake."""

    def __init__(
        self,
        email: str,
        password: str,
        server: ServerSettings,
        timeout: float,
        provider: Provider | None,
    ) -> None:
        super().__init__(email, password, server, timeout, provider)
        self.capabilities: frozenset[str] | None = None
        self._tag = 0
        self.ask_capabilities = False

    # -- plumbing ------------------------------------------------------------------------

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

    async def climb(self) -> None:
        if self.server.security == "tls":
            await self.handshake()
            await self.tls_greeting()
        else:
            await self.plaintext_greeting()
            await self.starttls()
            await self.handshake()
        await self.login()
        await self.logout()

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

    def behind_tls(self, line: bytes) -> str | None:
        kind = classify.greeting(line)
        return kind if kind in (o.POP3_PORT, o.SMTP_PORT) else None

    def closed_without_greeting(self) -> Stop:
        return Stop(o.NOT_IMAP, "closed without a greeting")

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

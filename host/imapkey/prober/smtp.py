"""SMTP submission: will the mail client *send* with this password? Nothing is ever sent.

dns → connect → (tls → greeting | greeting → ehlo → starttls → tls) → ehlo → auth → quit,
on the ladder shared with IMAP (ladder.py). ``MAIL FROM`` is never written: signing in is the
whole check. Credentials only go after a verified TLS handshake and only with a mechanism the
server offered there (PLAIN first, LOGIN otherwise); QUIT is sent but not awaited.

Outcomes reuse IMAP's words where the cause is the same (Gmail's ``534 5.7.9`` is
``app_password_required``, Microsoft's ``535 5.7.139`` ``basic_auth_disabled``, ``454 4.7.0``
``throttled``); what only sending has is ``auth_not_offered``, ``imap_port`` and ``not_smtp``.
"""

from __future__ import annotations

import asyncio
import base64
import re
from dataclasses import dataclass

from imapkey.prober import classify
from imapkey.prober import outcomes as o
from imapkey.prober.ladder import Session, Stop
from imapkey.prober.transport import Closed, happy_connect, resolve

# The name we greet with: no host name of the user's machine goes to the server.
EHLO_NAME = "localhost"
# When the chosen port does not answer, the other submission port is tried for the hint.
OTHER_PORT = {587: 465, 465: 587}
OTHER_PORT_TIMEOUT = 3.0
_REPLY = re.compile(r"^(\d{3})([ -]?)(.*)$")
_ENHANCED = re.compile(r"^([245])\.(\d{1,3})\.(\d{1,3})\b")
_SASL_PASSWORD = frozenset({"PLAIN", "LOGIN"})


@dataclass
class Reply:
    """One SMTP reply, all its lines."""

    code: int
    lines: list[str]

    @property
    def text(self) -> str:
        """The words of every line, without the enhanced code each line repeats."""
        return " ".join(_ENHANCED.sub("", line.strip()).strip() for line in self.lines).strip()

    @property
    def enhanced(self) -> str | None:
        match = _ENHANCED.match(self.lines[0].strip()) if self.lines else None
        return ".".join(match.groups()) if match else None

    @property
    def raw(self) -> str:
        return "\n".join(
            f"{self.code}{'-' if i < len(self.lines) - 1 else ' '}{line}"
            for i, line in enumerate(self.lines)
        )


EXPLANATIONS: dict[str, o.Explanation] = {
    o.OK: o.Explanation(
        "Signed in: this password works for sending mail (SMTP).",
        "Your mail client will send with these settings. Nothing was sent: imapkey only signs in.",
    ),
    o.CONNECTION_REFUSED: o.Explanation(
        "Nothing accepts connections on that server and port.",
        "Check the port: sending uses 465 (SSL/TLS) or 587 (STARTTLS).",
    ),
    o.GREETING_TIMEOUT: o.Explanation(
        "The server accepted the connection but never greeted.",
        "Check the port: this may not be a mail server's sending port.",
    ),
    o.SECURITY_MISMATCH: o.Explanation(
        "The connection security does not match what this port speaks.",
        "Port 465 uses SSL/TLS; port 587 uses STARTTLS.",
    ),
    o.POP3_PORT: o.Explanation(
        "This port speaks POP3, not SMTP.",
        "Use the sending port: 465 with SSL/TLS or 587 with STARTTLS.",
    ),
    o.NO_ENCRYPTION: o.Explanation(
        "The server does not offer STARTTLS, so the password was not sent: it would have "
        "crossed the network unencrypted.",
        "Use SSL/TLS on port 465 if the server has it, or ask the provider for encrypted sending.",
    ),
    o.BASIC_AUTH_DISABLED: o.Explanation(
        "This server accepts no passwords for sending (SMTP AUTH is switched off), app "
        "passwords included.",
        "Use a mail client that signs in with OAuth (Microsoft's 'modern authentication'), "
        "or ask the administrator to allow SMTP AUTH for this mailbox.",
        o.MICROSOFT_MODERN_AUTH,
    ),
    o.LOGIN_DISABLED: o.Explanation(
        "The sending server does not accept this kind of password sign-in.",
        "Check the connection security; the provider may require OAuth for sending.",
    ),
}


def greeting_kind(line: bytes) -> str | None:
    """What a first line says about a sending port: None for an SMTP 220 greeting."""
    text = line.lstrip()
    if re.match(rb"^220(?:[ -]|$)", text):
        return None
    if re.match(rb"^(?:421|554)(?:[ -]|$)", text):
        words = text.decode("utf-8", "replace")
        for pattern, outcome in classify.VAGUE:
            if outcome == o.THROTTLED and pattern.search(words):
                return o.THROTTLED
        return o.SERVER_UNAVAILABLE
    if text[:4].upper() in (b"* OK", b"* PR", b"* BY"):
        return o.IMAP_PORT
    if text[:3].upper() == b"+OK" or text[:4].upper() == b"-ERR":
        return o.POP3_PORT
    return o.NOT_SMTP


def refusal(reply: Reply, provider_id: str | None) -> classify.Verdict:
    """The outcome for a refused AUTH (or EHLO), from the server's own words and codes."""
    text = reply.text
    for pattern, outcome in classify.PRECISE:
        if pattern.search(text):
            return classify.Verdict(outcome)
    enhanced = reply.enhanced
    if enhanced == "5.7.139" or re.search(r"SmtpClientAuthentication is disabled", text, re.I):
        return classify.Verdict(o.BASIC_AUTH_DISABLED)
    if enhanced == "5.7.9":
        # Gmail: "Application-specific password required" (caught above by its words);
        # elsewhere RFC 4954's "mechanism too weak".
        if provider_id == "gmail":
            return classify.Verdict(o.APP_PASSWORD_REQUIRED)
        return classify.Verdict(o.LOGIN_DISABLED)
    for pattern, outcome in classify.VAGUE:
        if pattern.search(text):
            return classify.Verdict(outcome)
    if reply.code in (421, 454) or enhanced == "4.7.0":
        return classify.Verdict(o.THROTTLED)
    if reply.code in (535, 534):
        return classify.Verdict(o.AUTH_FAILED)
    if reply.code in (500, 501, 502, 503, 504, 530):
        return classify.Verdict(o.PROTOCOL_ERROR)
    if 400 <= reply.code < 500:
        return classify.Verdict(o.SERVER_UNAVAILABLE)
    return classify.Verdict(o.AUTH_FAILED)


class SmtpProbe(Session):
    """Runs one sending check; ``run`` always returns a result."""

    protocol = "SMTP"
    ports_hint = "465 is SSL/TLS, 587 STARTTLS."
    tls_port_hint = "Choose SSL/TLS for this port (465), or STARTTLS with port 587."
    explanations = EXPLANATIONS

    extensions: frozenset[str] = frozenset()
    mechanisms: frozenset[str] = frozenset()
    _more_greeting = False

    async def climb(self) -> None:
        if self.server.security == "tls":
            await self.handshake()
            await self.tls_greeting()
            await self.rest_of_greeting()
            await self.ehlo()
        else:
            await self.plaintext_greeting()
            await self.rest_of_greeting()
            await self.ehlo()
            await self.starttls()
            await self.handshake()
            await self.ehlo()
        await self.auth()
        await self.quit()

    # -- hooks of the shared ladder ------------------------------------------------------

    def plaintext_on_tls_port(self, first: bytes) -> Stop:
        line = first.split(b"\r\n", 1)[0]
        self.ladder.heard(line.decode("utf-8", "replace"))
        kind = greeting_kind(line)
        if kind in (None, o.SERVER_UNAVAILABLE, o.THROTTLED):
            return Stop(
                o.SECURITY_MISMATCH,
                "plain SMTP on a port set to SSL/TLS",
                message=f"Port {self.server.port} speaks plain SMTP that is upgraded with "
                "STARTTLS, but SSL/TLS was chosen.",
                hint="Choose STARTTLS for this port, or SSL/TLS with port 465.",
            )
        return Stop(kind, "plain-text greeting on a port set to SSL/TLS")

    def behind_tls(self, line: bytes) -> str | None:
        kind = greeting_kind(line)
        return kind if kind in (o.IMAP_PORT, o.POP3_PORT) else None

    def closed_without_greeting(self) -> Stop:
        return Stop(o.NOT_SMTP, "closed without a greeting")

    def accept_greeting(self, line: bytes, over_tls: bool) -> None:
        text = line.decode("utf-8", "replace")
        kind = greeting_kind(line)
        self.ladder.end("greeting", kind is None, text)
        if kind is not None:
            self.ladder.heard(text)
            raise Stop(kind, "over SSL/TLS" if over_tls else "")
        self._more_greeting = line.lstrip()[3:4] == b"-"

    async def on_connect_timeout(self, stop: Stop) -> Stop:
        """Port 587 is often blocked by networks: say so, and whether the other port answers."""
        port = self.server.port
        other = OTHER_PORT.get(port)
        if other is None:
            return stop
        answered = await self.port_answers(other)
        blocked = (
            f"Networks (hotels, cafés, workplaces, some providers) often block port {port} "
            "for sending. "
            if port == 587
            else f"Port {port} did not answer; some networks block it. "
        )
        if answered:
            security = "SSL/TLS" if other == 465 else "STARTTLS"
            hint = f"{blocked}Port {other} on {self.server.host} answered: choose {security} "
            hint += f"with port {other}."
        else:
            hint = (
                f"{blocked}Port {other} did not answer either: this network may block sending "
                "mail, or the server name is wrong."
            )
        return Stop(stop.outcome, stop.detail, stop.message, hint)

    async def port_answers(self, port: int) -> bool:
        budget = OTHER_PORT_TIMEOUT
        try:
            addresses = await asyncio.wait_for(resolve(self.server.host, port), budget)
            sock, _ = await asyncio.wait_for(happy_connect(addresses), budget)
        except (OSError, TimeoutError):
            return False
        sock.close()
        return True

    # -- SMTP ------------------------------------------------------------------------------

    async def read_reply(self) -> Reply:
        assert self.stream is not None
        lines: list[str] = []
        code = 0
        while True:
            try:
                raw = await asyncio.wait_for(self.stream.read_line(), self.remaining())
            except TimeoutError:
                self.ladder.end(self.stage, False, "no answer")
                raise Stop(o.TIMEOUT, "no answer before the time limit") from None
            except Closed:
                self.ladder.end(self.stage, False, "the server closed the connection")
                raise Stop(
                    o.PROTOCOL_ERROR,
                    "the server closed the connection",
                    message="The server closed the connection before answering.",
                ) from None
            text = raw.decode("utf-8", "replace")
            match = _REPLY.match(text)
            if match is None or (code and int(match.group(1)) != code):
                self.ladder.end(self.stage, False, text)
                self.ladder.heard(text)
                raise Stop(o.PROTOCOL_ERROR, f"unexpected line: {text}")
            code = int(match.group(1))
            lines.append(match.group(3))
            if match.group(2) != "-":
                reply = Reply(code, lines)
                if code >= 400:
                    for line in reply.raw.split("\n"):
                        self.ladder.heard(line)
                return reply

    async def send(self, line: str | bytes) -> None:
        assert self.stream is not None
        data = line.encode() if isinstance(line, str) else line
        await self.stream.write(data + b"\r\n")

    async def rest_of_greeting(self) -> None:
        """A greeting may run over several lines (``220-``); read them all before EHLO."""
        assert self.stream is not None
        while self._more_greeting:
            try:
                raw = await asyncio.wait_for(self.stream.read_line(), self.remaining())
            except TimeoutError:
                raise Stop(o.GREETING_TIMEOUT, "greeting not finished") from None
            except Closed:
                raise self.closed_without_greeting() from None
            self._more_greeting = raw.lstrip()[3:4] == b"-"

    async def ehlo(self) -> None:
        self.stage = "ehlo"
        await self.send(f"EHLO {EHLO_NAME}")
        reply = await self.read_reply()
        if reply.code != 250:
            self.ladder.end("ehlo", False, reply.raw)
            verdict = refusal(reply, self.provider.id if self.provider else None)
            if verdict.outcome in (o.AUTH_FAILED, o.PROTOCOL_ERROR):
                verdict = classify.Verdict(
                    o.NOT_SMTP if reply.code >= 500 else o.SERVER_UNAVAILABLE
                )
            raise Stop(verdict.outcome, reply.raw, verdict.message, verdict.hint)
        keywords: set[str] = set()
        mechanisms: set[str] = set()
        for line in reply.lines[1:]:
            words = line.upper().replace("=", " ").split()
            if not words:
                continue
            keywords.add(words[0])
            if words[0] == "AUTH":
                mechanisms.update(words[1:])
        self.extensions = frozenset(keywords)
        self.mechanisms = frozenset(mechanisms)
        self.ladder.end("ehlo", True, " ".join(sorted(self.extensions_seen(reply))))

    @staticmethod
    def extensions_seen(reply: Reply) -> list[str]:
        return [line.strip() for line in reply.lines[1:] if line.strip()]

    async def starttls(self) -> None:
        self.stage = "starttls"
        if "STARTTLS" not in self.extensions:
            self.ladder.end("starttls", False, "STARTTLS not offered")
            raise Stop(o.NO_ENCRYPTION, "STARTTLS not offered")
        await self.send("STARTTLS")
        reply = await self.read_reply()
        if reply.code != 220:
            self.ladder.end("starttls", False, reply.raw)
            raise Stop(o.NO_ENCRYPTION, f"STARTTLS refused: {reply.raw}")
        self.ladder.end("starttls", True, reply.text)
        # RFC 3207: forget everything learnt before TLS.
        self.extensions = frozenset()
        self.mechanisms = frozenset()

    async def auth(self) -> None:
        """AUTH PLAIN with its initial response when offered, else AUTH LOGIN. A 504 (the
        mechanism is not supported after all) to PLAIN falls back to LOGIN once."""
        self.stage = "auth"
        if "AUTH" not in self.extensions:
            self.ladder.end("auth", False, "no AUTH offered after TLS")
            raise Stop(o.AUTH_NOT_OFFERED, "no AUTH in EHLO")
        offered = self.mechanisms & _SASL_PASSWORD
        if not offered:
            listed = " ".join(sorted(self.mechanisms)) or "none"
            self.ladder.end("auth", False, f"offered: {listed}")
            raise Stop(
                o.BASIC_AUTH_DISABLED,
                f"only {listed}",
                message=f"The sending server offers sign-in only with {listed}, not with a "
                "password, so no password (app passwords included) works for sending.",
            )
        if "PLAIN" in offered:
            mechanism = "PLAIN"
            reply = await self.auth_plain()
            if reply.code == 504 and "LOGIN" in offered:
                self.ladder.end("auth", False, f"PLAIN: {reply.raw}")
                mechanism = "LOGIN"
                reply = await self.auth_login()
        else:
            mechanism = "LOGIN"
            reply = await self.auth_login()
        if reply.code != 235:
            self.ladder.end("auth", False, f"{mechanism}: {reply.raw}")
            verdict = refusal(reply, self.provider.id if self.provider else None)
            raise Stop(verdict.outcome, reply.raw, verdict.message, verdict.hint)
        self.ladder.end("auth", True, f"{mechanism}: {reply.text}")

    async def auth_plain(self) -> Reply:
        blob = f"\0{self.creds.user}\0{self.creds.password}".encode()
        await self.send(b"AUTH PLAIN " + base64.b64encode(blob))
        reply = await self.read_reply()
        if reply.code == 334:  # a challenge after an initial response: give up on it
            await self.send("*")
            reply = await self.read_reply()
        return reply

    async def auth_login(self) -> Reply:
        await self.send("AUTH LOGIN")
        for value in (self.creds.user, self.creds.password):
            reply = await self.read_reply()
            if reply.code != 334:
                return reply
            await self.send(base64.b64encode(value.encode()))
        return await self.read_reply()

    async def quit(self) -> None:
        """Sent, not awaited: the answer would tell nothing new."""
        self.stage = "quit"
        await self.send("QUIT")
        self.ladder.end("quit", True, "sent")

"""Why a login was refused, read from the server's own words.

Providers put the real reason in response codes (RFC 5530) and ``[ALERT]`` texts; Gmail adds
an untagged ``[WEBALERT <url>]`` before the tagged NO. The patterns below come from the texts
providers are documented to send (../shared/reference/imap-servers.md).
"""

from __future__ import annotations

import re

from imapkey.prober import outcomes as o
from imapkey.prober.wire import Response

# (pattern over code + text, outcome), first match wins.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), outcome)
    for pattern, outcome in (
        (r"\bWEBALERT\b|log ?in via your web browser|web login required", o.WEB_LOGIN_REQUIRED),
        (r"application-specific password required", o.APP_PASSWORD_REQUIRED),
        (r"not enabled for IMAP|IMAP access is disabled|IMAP (?:is )?disabled", o.IMAP_DISABLED),
        (
            r"too many simultaneous connections|too many connections|maximum number of "
            r"connections",
            o.TOO_MANY_CONNECTIONS,
        ),
        (
            r"\bTHROTTLED\b|bandwidth limits|too many login attempts|rate.?limit|try again later|"
            r"temporarily (?:locked|blocked|unavailable)",
            o.THROTTLED,
        ),
        (
            r"BasicAuthBlocked|basic auth(?:entication)? (?:is )?(?:disabled|blocked)",
            o.BASIC_AUTH_DISABLED,
        ),
        (r"^PRIVACYREQUIRED\b|plaintext authentication disallowed|LOGINDISABLED", o.LOGIN_DISABLED),
        (
            r"^UNAVAILABLE\b|temporary authentication failure|temporary system problem",
            o.SERVER_UNAVAILABLE,
        ),
    )
)


def refusal(tagged: Response, untagged: list[Response], provider_id: str | None) -> str:
    """The outcome for a NO/BAD/BYE answer to a login."""
    texts = [f"{r.code} {r.text}".strip() for r in (*untagged, tagged)]
    for pattern, outcome in _RULES:
        if any(pattern.search(t) for t in texts):
            return outcome
    if provider_id == "microsoft":
        return o.BASIC_AUTH_DISABLED
    if tagged.kind == "BAD":
        return o.PROTOCOL_ERROR
    return o.AUTH_FAILED


def greeting(line: bytes) -> str | None:
    """What a non-IMAP first line says about the port, or None for an IMAP greeting."""
    text = line.lstrip()
    if text[:4].upper() in (b"* OK", b"* PR"):
        return None
    if text[:5].upper() == b"* BYE":
        return o.SERVER_UNAVAILABLE
    if text[:3].upper() == b"+OK" or text[:4].upper() == b"-ERR":
        return o.POP3_PORT
    if re.match(rb"^(220|421|554)[ -]", text):
        return o.SMTP_PORT
    return o.NOT_IMAP

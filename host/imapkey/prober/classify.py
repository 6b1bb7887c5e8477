"""Why a login was refused, read from the server's own words.

Providers put the reason in response codes (RFC 5530) and in free text; Gmail adds an untagged
``[WEBALERT <url>]`` before the tagged NO. The order of reading, checked against the real texts
in tests/data/server_texts.jsonl:

1. Texts that name one precise cause (a browser sign-in, an app password, too many connections,
   IMAP switched off, a sign-in refused for where it comes from) decide, whatever the code.
2. Otherwise a response code that names a cause (``UNAVAILABLE``, ``LIMIT``, ``PRIVACYREQUIRED``
   …) outranks vague words such as "temporarily": ``NO [UNAVAILABLE] Account is temporarily
   unavailable.`` is the server's trouble, not a limit on the account.
3. Then vague texts (throttling words, basic auth, LOGINDISABLED), then the provider's habits
   (Microsoft refuses every password with a bare "LOGIN failed."), then BAD or NO.

A text naming two causes ("Invalid credentials or IMAP is disabled") keeps ``auth_failed`` but
gets a hint naming both; so does a bare refusal from a provider whose IMAP is off by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from imapkey.prober import outcomes as o
from imapkey.prober.wire import Response


@dataclass(frozen=True)
class Verdict:
    """An outcome, with words that replace the default ones when the server's say more."""

    outcome: str
    hint: str | None = None
    message: str | None = None


def _rules(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(pattern, re.IGNORECASE), outcome) for pattern, outcome in pairs)


# Step 1: one precise cause, named in words. First match wins.
_PRECISE = _rules(
    (
        r"\bWEBALERT\b|log ?in via your web browser|web login required|"
        r"login to your account via a web browser|verify your (?:identity|account)",
        o.WEB_LOGIN_REQUIRED,
    ),
    (r"application-specific password required", o.APP_PASSWORD_REQUIRED),
    (
        r"too many simultaneous connections|too many connections|maximum number of "
        r"connections",
        o.TOO_MANY_CONNECTIONS,
    ),
    (
        r"traffic not accepted from|not (?:allowed|permitted|accepted) from (?:this|your) "
        r"(?:ip|country|region|location|network)|(?:denied|blocked|refused) (?:by|for|from) "
        r"(?:your |this )?(?:country|region|location|ip|network)|geo-?ip",
        o.POLICY_REFUSED,
    ),
)

# "Invalid credentials or IMAP is disabled": either may be true, so neither alone decides.
_TWO_CAUSES = re.compile(
    r"(?:invalid|wrong|incorrect|bad) (?:credentials|password)[^.]*\bor\b[^.]*IMAP "
    r"(?:is |access is )?(?:disabled|not enabled|off)",
    re.IGNORECASE,
)
_IMAP_OFF = re.compile(
    r"not enabled for IMAP|IMAP access is disabled|IMAP (?:is )?disabled", re.IGNORECASE
)

# Step 2: response codes that name a cause (RFC 5530 and providers' own).
_CODES: dict[str, str] = {
    "UNAVAILABLE": o.SERVER_UNAVAILABLE,
    "SERVERBUG": o.SERVER_UNAVAILABLE,
    "LIMIT": o.THROTTLED,
    "THROTTLED": o.THROTTLED,
    "PRIVACYREQUIRED": o.LOGIN_DISABLED,
    "CONTACTADMIN": o.POLICY_REFUSED,
    "CLIENTBUG": o.PROTOCOL_ERROR,
}

# Step 3: vague words.
_VAGUE = _rules(
    (
        r"bandwidth limits|too many login attempts|too many bad auth|rate.?limit|"
        r"try again later|temporarily (?:locked|blocked|unavailable)",
        o.THROTTLED,
    ),
    (
        r"BasicAuthBlocked|basic auth(?:entication)? (?:is )?(?:disabled|blocked)",
        o.BASIC_AUTH_DISABLED,
    ),
    (r"plaintext authentication disallowed|LOGINDISABLED", o.LOGIN_DISABLED),
    (r"temporary authentication failure|temporary system problem", o.SERVER_UNAVAILABLE),
)

# Read by the SMTP prober too (smtp.py): the same causes in the same words.
PRECISE = _PRECISE
VAGUE = _VAGUE

TWO_CAUSES_HINT = (
    "The server says either the password is wrong or IMAP is switched off for this account: "
    "check that IMAP access is on in the provider's mail settings, then copy the app "
    "password again (create a new one if it was revoked)."
)

# Providers that keep IMAP off until the user switches it on, and answer a plain
# "authentication failed" meanwhile (chatmail/provider-db notes; GMX's own mails say so).
_IMAP_OFF_BY_DEFAULT: dict[str, tuple[tuple[str, ...], str]] = {
    "gmx": (
        ("gmx.net", "gmx.de", "gmx.com", "gmx.at", "gmx.ch"),
        "GMX switches IMAP off until you allow it: in GMX's web mail (the desktop site, the "
        "mobile site hides the setting) open Settings → POP3/IMAP, allow access via POP3 and "
        "IMAP, save, then check again. If it is already on, copy the password again.",
    ),
    "webde": (
        ("web.de",),
        "WEB.DE switches IMAP off until you allow it: in WEB.DE's web mail (the desktop site) "
        "open Settings → POP3/IMAP, allow access via POP3 and IMAP, save, then check again. "
        "If it is already on, copy the password again.",
    ),
    "mailcom": (
        ("mail.com",),
        "mail.com switches IMAP off until you allow it (for new accounts only with a "
        "Premium plan): in mail.com's web mail open Settings → POP3/IMAP, allow access, "
        "then check again. If it is already on, copy the password again.",
    ),
}


def imap_off_hint(provider_id: str | None, domain: str, host: str = "") -> str | None:
    """The where-to-switch-IMAP-on hint for a provider whose IMAP is off by default."""
    domain, host = domain.lower(), host.lower()
    for key, (domains, hint) in _IMAP_OFF_BY_DEFAULT.items():
        if provider_id == key or domain in domains or any(host.endswith(d) for d in domains):
            return hint
    return None


def refusal(
    tagged: Response,
    untagged: list[Response],
    provider_id: str | None,
    domain: str = "",
    host: str = "",
) -> Verdict:
    """The outcome for a NO/BAD/BYE answer to a login (``domain``: the address's domain)."""
    lines = (*untagged, tagged)
    texts = [f"{r.code} {r.text}".strip() for r in lines]
    for pattern, outcome in _PRECISE:
        if any(pattern.search(t) for t in texts):
            return Verdict(outcome)
    if any(_TWO_CAUSES.search(t) for t in texts):
        return Verdict(o.AUTH_FAILED, TWO_CAUSES_HINT)
    if any(_IMAP_OFF.search(t) for t in texts):
        return Verdict(o.IMAP_DISABLED)
    for response in lines:
        if response.code_name in _CODES:
            return Verdict(_CODES[response.code_name])
    for pattern, outcome in _VAGUE:
        if any(pattern.search(t) for t in texts):
            return Verdict(outcome)
    if provider_id == "microsoft":
        return Verdict(o.BASIC_AUTH_DISABLED)
    if tagged.kind == "BAD":
        return Verdict(o.PROTOCOL_ERROR)
    return Verdict(o.AUTH_FAILED, imap_off_hint(provider_id, domain, host))


UNSAFE_LOGIN_MESSAGE = (
    "The server accepted the password but would not open the mailbox for imapkey, which does "
    "not identify itself the way NetEase requires."
)
UNSAFE_LOGIN_HINT = (
    "The password is right. NetEase mail (163.com, 126.com, yeah.net) opens the mailbox only "
    "for mail apps that identify themselves (the IMAP ID command), as Thunderbird, Outlook and "
    'Apple Mail do; a client that does not is refused with "Unsafe Login". If your mail app '
    "is refused too, allow it in the mailbox's security settings on the web."
)


def after_login(tagged: Response, untagged: list[Response]) -> Verdict:
    """The outcome when the login was accepted but the first command after it failed
    (Outlook's "User is authenticated but not connected.", NetEase's "Unsafe Login")."""
    lines = (*untagged, tagged)
    texts = [f"{r.code} {r.text}".strip() for r in lines]
    if any(re.search(r"unsafe login", t, re.IGNORECASE) for t in texts):
        return Verdict(o.MAILBOX_UNAVAILABLE, UNSAFE_LOGIN_HINT, UNSAFE_LOGIN_MESSAGE)
    for pattern, outcome in _PRECISE:
        if outcome != o.WEB_LOGIN_REQUIRED and any(pattern.search(t) for t in texts):
            return Verdict(outcome)
    for response in lines:
        if _CODES.get(response.code_name) in (o.SERVER_UNAVAILABLE, o.THROTTLED):
            return Verdict(_CODES[response.code_name])
    return Verdict(o.MAILBOX_UNAVAILABLE)


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

"""IMAP on the wire: parsing server responses and building the few commands the prober sends.

Only what a login check needs (RFC 3501 / 9051): status responses with their response codes,
capabilities, and credentials as quoted strings, literals or a SASL PLAIN initial response.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

# "* OK [CODE args] text" / "a1 NO text" / "+ continuation"
_STATUS = re.compile(
    rb"^(?P<tag>\*|\+|[^\s(){%*\"\\\]]+)\s*"
    rb"(?:(?P<kind>OK|NO|BAD|BYE|PREAUTH)\b\s*)?"
    rb"(?:\[(?P<code>[^\]]*)\]\s*)?"
    rb"(?P<text>.*)$",
    re.IGNORECASE | re.DOTALL,
)

# Printable ASCII only, matched whole: "$" would also match before a final newline, and a
# password ending in "\n" would then go out inside a quoted string.
QUOTABLE = re.compile(r"[\x20-\x7e]*")
# RFC 7888: LITERAL- allows non-synchronizing literals of at most 4096 bytes.
LITERAL_MINUS_MAX = 4096


@dataclass(frozen=True)
class Response:
    """One response line. ``kind`` is OK, NO, BAD, BYE, PREAUTH, or "" for other untagged data."""

    tag: str
    kind: str
    code: str
    text: str
    raw: str

    @property
    def code_name(self) -> str:
        return self.code.split(" ", 1)[0].upper() if self.code else ""

    @property
    def code_args(self) -> str:
        return self.code.split(" ", 1)[1] if " " in self.code else ""


def parse_line(line: bytes) -> Response:
    """Parse one CRLF-stripped response line; never raises."""
    raw = line.decode("utf-8", errors="replace")
    match = _STATUS.match(line)
    if not match:
        return Response("", "", "", raw, raw)
    tag = match.group("tag").decode("ascii", errors="replace")
    kind = (match.group("kind") or b"").decode("ascii").upper()
    code = (match.group("code") or b"").decode("utf-8", errors="replace")
    text = match.group("text").decode("utf-8", errors="replace").strip()
    if not kind and tag not in ("*", "+"):
        return Response(tag, "", "", raw, raw)
    return Response(tag, kind, code, text, raw)


def capabilities(response: Response) -> frozenset[str] | None:
    """Capabilities carried by a ``[CAPABILITY ...]`` code or an untagged CAPABILITY line."""
    if response.code_name == "CAPABILITY":
        return frozenset(c.upper() for c in response.code_args.split())
    if (
        response.tag == "*"
        and not response.kind
        and response.text.upper().startswith("CAPABILITY ")
    ):
        return frozenset(c.upper() for c in response.text.split()[1:])
    return None


def astring(value: str, literal_plus: bool) -> tuple[bytes, bytes | None]:
    """Encode ``value`` as an IMAP string: (bytes to send, literal body or None).

    Printable ASCII goes quoted (``"`` and ``\\`` escaped). Anything else goes as a literal:
    non-synchronizing (``{n+}``) when the server offers LITERAL+, otherwise synchronizing
    (``{n}``), for which the caller must wait for a ``+`` continuation before sending the body.
    """
    if QUOTABLE.fullmatch(value):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'.encode("ascii"), None
    data = value.encode("utf-8")
    marker = f"{{{len(data)}{'+' if literal_plus else ''}}}".encode("ascii")
    return marker, data


def non_synchronizing(capabilities: frozenset[str], value: str) -> bool:
    """May ``value`` go as a ``{n+}`` literal without waiting for the server's ``+``?"""
    if "LITERAL+" in capabilities:
        return True
    return "LITERAL-" in capabilities and len(value.encode("utf-8")) <= LITERAL_MINUS_MAX


def sasl_plain(user: str, password: str) -> bytes:
    """The base64 SASL PLAIN response (RFC 4616): authzid empty, UTF-8 credentials."""
    blob = b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")
    return base64.b64encode(blob)

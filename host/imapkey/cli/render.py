"""Everything the command line shows: human text, colour, JSON, and errors.

Text that comes from a server or from the account index is escaped before it reaches a
terminal (``safe``): a hostile server, or a man in the middle before STARTTLS, must not be
able to move the cursor, retitle the window or forge a "✓ login" line.
"""

from __future__ import annotations

import json
import os
import sys
from typing import IO, TYPE_CHECKING, Any

from imapkey.text import visible

if TYPE_CHECKING:
    from imapkey.errors import ImapkeyError
    from imapkey.prober.models import CheckResult


def safe(text: object) -> str:
    """``text`` escaped for a terminal (see ``imapkey.text.visible``)."""
    return visible(text)


def use_color(stream: IO[str] | None = None) -> bool:
    """Colour only on a terminal that is not ``TERM=dumb``, and never when ``NO_COLOR`` is
    set to anything (https://no-color.org)."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def out(text: str = "") -> None:
    print(text)


def json_out(value: Any) -> None:
    print(json.dumps(value, indent=2))


def error(
    message: str, hint: str = "", code: str = "internal_error", as_json: bool = False
) -> None:
    """An error in one line, then what to do. With --json: the protocol's error shape on
    stdout, so a script reading stdout always gets an object."""
    if as_json:
        json_out({"ok": False, "error": {"code": code, "message": message, "hint": hint}})
        return
    print(f"imapkey: {message}", file=sys.stderr)
    if hint:
        print(f"  {hint}", file=sys.stderr)


def check(result: CheckResult, color: bool) -> str:
    """The stage ladder with timings, then the verdict, the fix and the server's words.

    Everything but our own labels may carry a server's text, so it all goes through ``safe``;
    the server's own lines are quoted with ``|`` so none of them can pass for ours."""
    server = result.server
    lines = [
        f"{safe(result.email)} at {safe(server.host)}:{server.port} ({server.security})",
        "",
    ]
    for stage in result.stages:
        mark = paint("✓", "32", color) if stage.ok else paint("✗", "31", color)
        name = safe(stage.name)
        lines.append(f"  {mark} {name:<10} {stage.ms:>7.1f} ms  {safe(stage.detail)}")
    lines.append("")
    verdict = paint(safe(result.outcome), "1;32" if result.ok else "1;31", color)
    lines.append(f"{verdict}: {safe(result.message)}")
    if not result.ok or result.hint:
        lines.append(f"  → {safe(result.hint)}")
    if result.link:
        lines.append(f"  {safe(result.link)}")
    for warning in result.warnings:
        lines.append(paint(f"  ! {safe(warning)}", "33", color))
    if result.server_text:
        lines.append("")
        lines.append("The server said:")
        lines.extend(f"  | {safe(line)}" for line in result.server_text.split("\n"))
    lines.append("")
    lines.append(f"{result.elapsed_ms:.0f} ms in all")
    return "\n".join(lines)


def check_pair(result: CheckResult, sending: CheckResult | ImapkeyError | None, color: bool) -> str:
    """Receiving and sending, each under its heading with its own ladder and verdict."""
    blocks = [paint("Receiving mail (IMAP)", "1", color), "", check(result, color), ""]
    blocks += [paint("Sending mail (SMTP)", "1", color), ""]
    from imapkey.errors import ImapkeyError

    if isinstance(sending, ImapkeyError):
        blocks.append(f"{paint(safe(sending.code), '1;31', color)}: {safe(sending.message)}")
        if sending.hint:
            blocks.append(f"  → {safe(sending.hint)}")
    elif sending is not None:
        blocks.append(check(sending, color))
    return "\n".join(blocks)

"""Everything the command line shows: human text (with colour on a terminal), JSON, errors."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from imapkey.prober.models import CheckResult


def use_color() -> bool:
    return sys.stdout.isatty()


def paint(text: str, code: str, color: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if color else text


def out(text: str = "") -> None:
    print(text)


def json_out(value: Any) -> None:
    print(json.dumps(value, indent=2))


def error(message: str, hint: str = "") -> None:
    """One line saying what went wrong, and an indented line with what to do."""
    print(f"imapkey: {message}", file=sys.stderr)
    if hint:
        print(f"  {hint}", file=sys.stderr)


def check(result: CheckResult, color: bool) -> str:
    """The stage ladder with timings, then the verdict, the fix and the server's words."""
    server = result.server
    lines = [f"{result.email} at {server.host}:{server.port} ({server.security})", ""]
    for stage in result.stages:
        mark = paint("✓", "32", color) if stage.ok else paint("✗", "31", color)
        lines.append(f"  {mark} {stage.name:<10} {stage.ms:>7.1f} ms  {stage.detail}")
    lines.append("")
    verdict = paint(result.outcome, "1;32" if result.ok else "1;31", color)
    lines.append(f"{verdict}: {result.message}")
    if not result.ok or result.hint:
        lines.append(f"  → {result.hint}")
    if result.link:
        lines.append(f"  {result.link}")
    for warning in result.warnings:
        lines.append(paint(f"  ! {warning}", "33", color))
    if result.server_text:
        lines.append("")
        lines.append("The server said:")
        lines.extend(f"  {line}" for line in result.server_text.splitlines())
    lines.append("")
    lines.append(f"{result.elapsed_ms:.0f} ms in all")
    return "\n".join(lines)

"""Text from outside (servers, requests, files) made safe to show or log.

A control character in a server's words or a request id could rewrite a terminal (escape
sequences, a carriage return over a line) or forge a log line (a newline). ``visible`` spells
each one out instead, so what was sent can still be read.
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _spell(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x1b``, ``\\n`` …)."""
    return _CONTROL.sub(_spell, text)

"""Text from outside (servers, requests, the account index) made safe to show or log.

A control character in a server's words or a request id could rewrite a terminal (escape
sequences, a carriage return over a line, a bidi override) or forge a log line (a newline).
``visible`` spells each one out instead, so what was sent can still be read, on one line.
"""

from __future__ import annotations

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b", "\\": "\\\\"}
# Controls, format characters (bidi overrides, zero-width), line and paragraph separators,
# surrogates, private-use and unassigned code points.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def visible(text: object) -> str:
    """``text`` with every control, format and line-separator character visibly escaped
    (``\\x1b``, ``\\r``, ``\\n``, ``\\u202e`` …), so it prints as exactly one inert line."""
    out = []
    for char in str(text):
        if char in _NAMED:
            out.append(_NAMED[char])
        elif (char.isprintable() and char != " ") or char == " ":
            out.append(char)
        elif _category(char) in _ESCAPED_CATEGORIES:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


def _category(char: str) -> str:
    import unicodedata  # only for the rare unprintable character: the host's log needs none

    return unicodedata.category(char)

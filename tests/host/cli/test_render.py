"""The renderer: server text made inert, and colour only where it is wanted."""

from __future__ import annotations

import io

import pytest

from imapkey.cli.render import safe, use_color


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text, ünïcödé ✓", "plain text, ünïcödé ✓"),
        ("\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07"),
        ("one\r\ntwo\tthree", "one\\r\\ntwo\\tthree"),
        ("csi \x9b2J nul \x00 del \x7f", "csi \\x9b2J nul \\x00 del \\x7f"),
        (
            "bidi \u202e zero-width \u200b line \u2028",
            "bidi \\u202e zero-width \\u200b line \\u2028",
        ),
        ("a literal \\x1b stays apart", "a literal \\\\x1b stays apart"),
    ],
)
def test_safe_escapes_visibly(raw: str, shown: str) -> None:
    """Controls, format characters and line separators become visible escapes; a literal
    backslash is doubled so server text cannot pass for an escape of ours."""
    assert safe(raw) == shown


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("tty", "environ", "expected"),
    [
        (True, {"TERM": "xterm"}, True),
        (False, {"TERM": "xterm"}, False),
        (True, {"TERM": "dumb"}, False),
        (True, {"TERM": "xterm", "NO_COLOR": "1"}, False),
        (True, {"TERM": "xterm", "NO_COLOR": "0"}, False),
        (True, {"TERM": "xterm", "NO_COLOR": ""}, True),  # no-color.org: set and not empty
    ],
)
def test_use_color(
    monkeypatch: pytest.MonkeyPatch, tty: bool, environ: dict[str, str], expected: bool
) -> None:
    """Colour only on a terminal that is not dumb, and not when NO_COLOR is set."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    stream = _Tty() if tty else io.StringIO()
    assert use_color(stream) is expected

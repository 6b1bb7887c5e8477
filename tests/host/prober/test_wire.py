"""IMAP wire helpers: response parsing, capabilities, string quoting and SASL PLAIN."""

from __future__ import annotations

import base64

import pytest

from imapkey.prober.wire import astring, capabilities, parse_line, sasl_plain


def test_parses_tagged_status_with_code() -> None:
    """Tag, kind, response code and text are split out."""
    r = parse_line(b"a1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)")
    assert (r.tag, r.kind, r.code_name, r.text) == (
        "a1",
        "NO",
        "AUTHENTICATIONFAILED",
        "Invalid credentials (Failure)",
    )


def test_parses_webalert_with_argument() -> None:
    """An untagged WEBALERT keeps its URL argument."""
    r = parse_line(b"* NO [WEBALERT https://accounts.google.com/x?y=1] Web login required.")
    assert (r.tag, r.kind, r.code_name, r.code_args) == (
        "*",
        "NO",
        "WEBALERT",
        "https://accounts.google.com/x?y=1",
    )


def test_greeting_capabilities() -> None:
    """Capabilities come from a greeting's code or an untagged CAPABILITY line."""
    greeting = parse_line(b"* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] ready")
    assert capabilities(greeting) == {"IMAP4REV1", "SASL-IR", "AUTH=PLAIN"}
    assert capabilities(parse_line(b"* CAPABILITY IMAP4rev1 STARTTLS")) == {"IMAP4REV1", "STARTTLS"}
    assert capabilities(parse_line(b"* OK Gimap ready")) is None


def test_garbage_never_raises() -> None:
    """Binary or empty lines parse into something harmless."""
    for raw in (b"", b"\x16\x03\x01\x00", b"\xff\xfe", b"+"):
        parse_line(raw)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", b'"plain"'),
        ('a"b\\c d', b'"a\\"b\\\\c d"'),
        ("", b'""'),
    ],
)
def test_quotable_strings(value: str, expected: bytes) -> None:
    """Printable ASCII is quoted with " and \\ escaped."""
    assert astring(value, literal_plus=False) == (expected, None)


def test_non_ascii_becomes_a_literal() -> None:
    """Non-ASCII (or control characters) go as a literal, + only with LITERAL+."""
    assert astring("pä", literal_plus=True) == (b"{3+}", "pä".encode())
    assert astring("pä", literal_plus=False) == (b"{3}", "pä".encode())
    assert astring("a\nb", literal_plus=False) == (b"{3}", b"a\nb")


def test_sasl_plain() -> None:
    """SASL PLAIN is base64 of NUL user NUL password, in UTF-8."""
    assert base64.b64decode(sasl_plain("u@x", "pä")) == b"\0u@x\0p\xc3\xa4"

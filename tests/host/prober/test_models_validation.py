"""Entry checks on what a request or the CLI names: address, server and CA file.

These values are later written into mail clients' configurations, so anything a client
could read as syntax (quotes, backticks, control characters, a host that is no host name)
is refused where it enters, with a message saying which field and why.
"""

from __future__ import annotations

import re

import pytest
from pydantic import TypeAdapter, ValidationError

from imapkey.prober.models import Email, ServerSettings

EMAIL = TypeAdapter(Email)


@pytest.mark.parametrize(
    "email",
    ["me@example.com", "first.last+tag@mail.example.org", "h$(id)>x;y|z&w#v%u!t{s}@ex.com"],
)
def test_ordinary_and_odd_but_harmless_addresses_pass(email: str) -> None:
    """Addresses without quotes, backticks or controls are accepted as they are."""
    assert EMAIL.validate_python(email) == email


@pytest.mark.parametrize(
    ("email", "why"),
    [
        ("x`id`@example.com", "may not contain `"),
        ('x"@example.com', 'may not contain "'),
        ("x'@example.com", "may not contain '"),
        ("x\\@example.com", "may not contain \\"),
        ("x\x00y@example.com", "control character (U+0000)"),
        ("x\u202e@example.com", "control character (U+202E)"),
        ("x\x7f@example.com", "control character (U+007F)"),
        ("x@exa\nmple.com", "pattern"),
    ],
)
def test_addresses_with_syntax_or_controls_are_refused(email: str, why: str) -> None:
    """Quotes, backticks, backslashes and control characters are refused, naming the cause."""
    with pytest.raises(ValidationError, match=re.escape(why)):
        EMAIL.validate_python(email)


@pytest.mark.parametrize(
    "host",
    [
        "imap.gmail.com",
        "localhost",
        "imap.example.com.",
        "127.0.0.1",
        "::1",
        "xn--bcher-kva.example",
    ],
)
def test_host_names_and_ip_literals_pass(host: str) -> None:
    """DNS names, IPv4 and IPv6 literals are accepted."""
    assert ServerSettings(host=host, port=993, security="tls").host == host


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("imap.example.com`id`", "host name or an IP address"),
        ("imap.example.com;id", "host name or an IP address"),
        ("imap.example.com\nremotehosteval = 1", "host name or an IP address"),
        ("imap example.com", "host name or an IP address"),
        ("-imap.example.com", "host name or an IP address"),
        ("a" * 64 + ".example.com", "host name or an IP address"),
        ("fe80::1%eth0", "zone"),
        ("bücher.example", "write it as xn--bcher-kva.example"),
    ],
)
def test_hosts_that_are_no_host_name_are_refused(host: str, why: str) -> None:
    """Anything but a DNS name or an IP literal is refused; an IDN gets its xn-- spelling."""
    with pytest.raises(ValidationError, match=why):
        ServerSettings(host=host, port=993, security="tls")


@pytest.mark.parametrize(
    ("ca_file", "why"),
    [
        ("ca.pem", "absolute path"),
        ("~/ca.pem", "absolute path"),
        ("/tmp/ca.pem\nPassCmd id", "control character"),
    ],
)
def test_ca_file_must_be_an_absolute_printable_path(ca_file: str, why: str) -> None:
    """A relative CA path or one with control characters is refused."""
    with pytest.raises(ValidationError, match=why):
        ServerSettings(host="localhost", port=993, security="tls", ca_file=ca_file)


def test_ca_file_with_spaces_and_shell_characters_passes() -> None:
    """Spaces and shell characters are fine: every snippet quotes the path."""
    path = "/home/me/private CA/$(x);#%.pem"
    assert ServerSettings(host="localhost", port=993, security="tls", ca_file=path).ca_file == path

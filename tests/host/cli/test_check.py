"""imapkey check and suggest from the command line, against a real Dovecot."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable

import pytest

from support.certs import CertSet
from support.cli import run_cli, server_flags
from support.dovecot import ACCOUNTS, Dovecot
from support.scripted import Handler, ScriptedServer, imap

Start = Callable[[Handler], ScriptedServer]


def test_check_ok_human(dovecot: Dovecot, good_certs: CertSet, env: dict[str, str]) -> None:
    """A working password: exit 0, the stage ladder with timings, no secret anywhere."""
    canary = ACCOUNTS["canary@example.com"]
    out = run_cli(
        [
            "check",
            "canary@example.com",
            "--host",
            "localhost",
            "--port",
            str(dovecot.imaps_port),
            "--ca-file",
            str(good_certs.ca_file),
            "--password-stdin",
        ],
        env,
        canary + "\n",
    )
    assert out.returncode == 0, out.stderr
    for stage in ("dns", "connect", "tls", "greeting", "login", "logout"):
        assert stage in out.stdout
    assert " ms" in out.stdout
    assert "\033[" not in out.stdout  # no colour when not a terminal
    assert canary not in out.stdout + out.stderr


def test_check_failed_json(dovecot: Dovecot, good_certs: CertSet, env: dict[str, str]) -> None:
    """--json prints exactly the result object; a failure exits 1."""
    out = run_cli(
        [
            "check",
            "alice@example.com",
            "--host",
            "localhost",
            "--port",
            str(dovecot.imap_port),
            "--security",
            "starttls",
            "--ca-file",
            str(good_certs.ca_file),
            "--password-stdin",
            "--json",
        ],
        env,
        "wrong\n",
    )
    assert out.returncode == 1
    result = json.loads(out.stdout)
    assert result["outcome"] == "auth_failed"
    assert result["server"]["security"] == "starttls"
    assert out.stderr == ""


def test_port_implies_security(dovecot: Dovecot, good_certs: CertSet, env: dict[str, str]) -> None:
    """--port 143 alone means STARTTLS; the default port for --security starttls is 143."""
    from imapkey.cli import build_parser
    from imapkey.cli.options import server_from_flags

    args = build_parser().parse_args(["check", "a@b.c", "--host", "h", "--port", "143"])
    server = server_from_flags(args)
    assert server is not None
    assert (server.port, server.security) == (143, "starttls")
    args = build_parser().parse_args(["check", "a@b.c", "--host", "h", "--security", "starttls"])
    server = server_from_flags(args)
    assert server is not None
    assert (server.port, server.security) == (143, "starttls")


def test_invalid_address_is_a_usage_error(env: dict[str, str]) -> None:
    """A malformed address exits 2 with a sentence for people, no traceback."""
    out = run_cli(["check", "nope", "--password-stdin"], env, "x\n")
    assert out.returncode == 2
    assert out.stderr == (
        "imapkey: check: 'nope' is not an email address imapkey can use (expected "
        "name@domain, like you@gmail.com)\n  See: imapkey check --help\n"
    )


def test_suggest_human(env: dict[str, str]) -> None:
    """suggest prints the provider's server and notes."""
    out = run_cli(["suggest", "someone@icloud.com"], env, "")
    assert out.returncode == 0
    assert "imap.mail.me.com port 993 (tls)" in out.stdout


@pytest.mark.parametrize("value", ["0", "-1", "nan", "121", "soon"])
def test_unusable_timeout_is_refused(env: dict[str, str], value: str) -> None:
    """--timeout must be above 0 and at most 120 (the protocol's limit), refused up front."""
    out = run_cli(["check", "a@example.com", "--timeout", value, "--password-stdin"], env, "x\n")
    assert out.returncode == 2
    assert f"--timeout: '{value}' is not a usable timeout" in out.stderr
    assert out.stdout == ""


def test_empty_password_on_stdin_is_never_sent(
    scripted: Start, certs: CertSet, env: dict[str, str]
) -> None:
    """An empty first line is refused before any connection (so it counts toward nothing)."""
    server = scripted(imap())
    out = run_cli(
        ["check", "a@example.com", *server_flags(server, certs), "--password-stdin"], env, "\n"
    )
    assert out.returncode == 2
    assert "The password is empty" in out.stderr
    assert server.received == []


def test_unreachable_server_exits_4(env: dict[str, str]) -> None:
    """A server that cannot be reached is exit status 4, told apart from a refused login."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = run_cli(
        ["check", "a@example.com", "--host", "127.0.0.1", "--port", str(port), "--password-stdin"],
        env,
        "pw-1\n",
    )
    assert out.returncode == 4, out.stdout
    assert "connection_refused" in out.stdout


def test_json_errors_are_json(env: dict[str, str]) -> None:
    """With --json every failure is a JSON error object on stdout, usage errors included."""
    for args, code in (
        (["check", "nope", "--json"], "invalid_request"),
        (["check", "a@example.com", "--json", "--timeout", "0"], "invalid_request"),
        (
            ["check", "a@example.com", "--host", "localhost", "--json", "--password-stdin"],
            "invalid_request",
        ),
        (["check", "a@example.com", "--json", "--password-stdin"], "server_unconfirmed"),
        (["password", "nobody@example.com", "--json"], "invalid_request"),
    ):
        out = run_cli(args, env, "")
        assert out.returncode == 2, args
        body = json.loads(out.stdout)
        assert body["ok"] is False
        assert body["error"]["code"] == code
        assert body["error"]["message"]
        assert body["error"]["hint"]


HOSTILE_GREETING = "* OK \x1b[2J\x1b]0;owned\x07ready\r  \x1b[32m✓\x1b[0m login  1.0 ms"
HOSTILE_REFUSAL = "{tag} NO [AUTHENTICATIONFAILED] no\r\x1b[1A\x1b[2K  ✓ login ok\u202e\x9b2J"


def test_hostile_server_text_is_escaped(
    scripted: Start, certs: CertSet, env: dict[str, str]
) -> None:
    """Terminal escapes, carriage returns and bidi controls a server sends are shown as
    visible escapes: they cannot clear the screen, retitle it or forge a "✓ login" line."""
    server = scripted(imap(greeting=HOSTILE_GREETING, login=(HOSTILE_REFUSAL,)))
    out = run_cli(
        ["check", "a@example.com", *server_flags(server, certs), "--password-stdin"],
        env,
        "app-pw-9\n",
    )
    assert out.returncode == 1
    for raw in ("\x1b", "\r", "\u202e", "\x9b", "\x07"):
        assert raw not in out.stdout + out.stderr
    assert "\\x1b[2J\\x1b]0;owned\\x07ready\\r  \\x1b[32m✓" in out.stdout
    assert "no\\r\\x1b[1A\\x1b[2K  ✓ login ok\\u202e\\x9b2J" in out.stdout
    # Every line that starts like a stage line is one of ours.
    stage_lines = [line for line in out.stdout.splitlines() if line.lstrip().startswith("✓")]
    assert [line.split()[1] for line in stage_lines] == ["dns", "connect", "tls", "greeting"]

"""imapkey check and suggest from the command line, against a real Dovecot."""

from __future__ import annotations

import json

from support.certs import CertSet
from support.cli import run_cli
from support.dovecot import ACCOUNTS, Dovecot


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
    """A malformed address exits 2 with a message, no traceback."""
    out = run_cli(["check", "nope", "--password-stdin"], env, "x\n")
    assert out.returncode == 2
    assert "invalid input" in out.stderr
    assert "Traceback" not in out.stderr


def test_suggest_human(env: dict[str, str]) -> None:
    """suggest prints the provider's server and notes."""
    out = run_cli(["suggest", "someone@icloud.com"], env, "")
    assert out.returncode == 0
    assert "imap.mail.me.com port 993 (tls)" in out.stdout

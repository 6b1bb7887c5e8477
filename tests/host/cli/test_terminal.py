"""The command line at a real terminal (a pseudo-terminal): colour, prompts, Ctrl-C."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from support.certs import CertSet
from support.cli import run_cli, run_in_terminal, server_flags
from support.scripted import Handler, ScriptedServer, imap

Start = Callable[[Handler], ScriptedServer]


def _check_at_terminal(scripted: Start, certs: CertSet, env: dict[str, str]) -> tuple[int, str]:
    server = scripted(imap())
    term = run_in_terminal(["check", "user@example.com", *server_flags(server, certs)], env)
    term.expect("Password for user@example.com: ")
    term.send("app-password\r")
    return term.wait(), term.text


def test_colour_on_a_terminal(scripted: Start, certs: CertSet, env: dict[str, str]) -> None:
    """On a terminal with an ordinary TERM the verdict and marks are coloured."""
    env.pop("NO_COLOR", None)
    env["TERM"] = "xterm-256color"
    status, text = _check_at_terminal(scripted, certs, env)
    assert status == 0, text
    assert "\x1b[32m✓\x1b[0m" in text
    assert "\x1b[1;32mok\x1b[0m" in text
    assert "app-password" not in text  # the prompt does not echo


@pytest.mark.parametrize(("name", "value"), [("NO_COLOR", "1"), ("TERM", "dumb")])
def test_no_colour_when_asked(
    scripted: Start, certs: CertSet, env: dict[str, str], name: str, value: str
) -> None:
    """NO_COLOR (any value) and TERM=dumb turn colour off even on a terminal."""
    env.pop("NO_COLOR", None)
    env["TERM"] = "xterm-256color"
    env[name] = value
    status, text = _check_at_terminal(scripted, certs, env)
    assert status == 0, text
    assert "✓" in text
    assert "\x1b[" not in text


def test_ctrl_c_at_the_prompt(env: dict[str, str]) -> None:
    """Ctrl-C at the password prompt ends the line, exits 130 and shows no traceback."""
    term = run_in_terminal(["check", "user@example.com", "--host", "localhost"], env)
    term.expect("Password for user@example.com: ")
    term.send("\x03")
    assert term.wait() == 130
    after = term.text.split("Password for user@example.com: ", 1)[1]
    assert after.startswith(("\r\n", "^C\r\n"))
    assert "Traceback" not in term.text


def test_address_checked_before_the_prompt(env: dict[str, str]) -> None:
    """A malformed address is refused in plain words before any password is asked for."""
    term = run_in_terminal(["check", "not-an-address"], env)
    assert term.wait() == 2
    assert "Password" not in term.text
    assert "'not-an-address' is not an email address" in term.text
    assert "String should match" not in term.text


def test_empty_password_is_refused(scripted: Start, certs: CertSet, env: dict[str, str]) -> None:
    """An empty password at the prompt is refused: nothing reaches the server, nothing is
    counted toward the pause after failed logins."""
    server = scripted(imap())
    term = run_in_terminal(["check", "user@example.com", *server_flags(server, certs)], env)
    term.expect("Password for user@example.com: ")
    term.send("\r")
    assert term.wait() == 2
    assert "The password is empty, so nothing was sent" in term.text
    assert server.received == []
    assert not list(Path(env["XDG_STATE_HOME"]).rglob("lockout.json"))


def test_no_terminal_refuses_to_prompt(env: dict[str, str]) -> None:
    """Without a terminal and without --password-stdin, check refuses (no GetPassWarning,
    nothing read from stdin)."""
    out = run_cli(["check", "user@example.com", "--host", "localhost"], env, "piped\n")
    assert out.returncode == 2
    assert "There is no terminal to ask for the password on" in out.stderr
    assert "--password-stdin" in out.stderr
    assert "GetPassWarning" not in out.stderr
    assert out.stdout == ""


def test_no_core_dumps_while_a_password_is_asked_for(env: dict[str, str]) -> None:
    """The CLI holding a password prompt has its core file size limit at 0."""
    term = run_in_terminal(["check", "user@example.com", "--host", "localhost"], env)
    term.expect("Password for user@example.com: ")
    limits = Path(f"/proc/{term.proc.pid}/limits").read_text()
    core = next(line for line in limits.splitlines() if line.startswith("Max core file size"))
    term.send("\x03")
    term.wait()
    assert core.split()[4:6] == ["0", "0"]

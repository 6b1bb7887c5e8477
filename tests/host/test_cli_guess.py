"""Security finding 4 in the CLI: a server that is only a guess gets no password unconfirmed.

The custom domain's look-ups fail, so the suggestion is imap.<domain>; a trap listening at
that name (through nss_wrapper) records whether anything connected."""

from __future__ import annotations

import os
import pty
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.cli import CLI, run_cli
from support.guessnet import DOMAIN, GUESS, GuessNet, guess_net

EMAIL = f"someone@{DOMAIN}"


@pytest.fixture
def net(tmp_path: Path) -> Iterator[GuessNet]:
    with guess_net(tmp_path) as net:
        yield net


@pytest.fixture
def guess_env(env: dict[str, str], net: GuessNet) -> dict[str, str]:
    return dict(env, **net.env)


@pytest.mark.parametrize("command", ["check", "save"])
def test_guess_is_refused_without_a_terminal(
    command: str, guess_env: dict[str, str], net: GuessNet
) -> None:
    """check/save with --password-stdin exit 2, name --host, and never connect to the guess."""
    out = run_cli([command, EMAIL, "--password-stdin"], guess_env, "abcdefghijklmnop\n")
    assert out.returncode == 2, out.stderr
    assert "only a guess" in out.stderr
    assert f"--host {GUESS}" in out.stderr
    assert "abcdefghijklmnop" not in out.stderr + out.stdout
    time.sleep(0.2)
    assert net.guess.connections == []


def test_naming_the_guess_is_a_confirmation(guess_env: dict[str, str], net: GuessNet) -> None:
    """With --host naming the server, the check goes there (the trap sees a TLS hello)."""
    out = run_cli(
        ["check", EMAIL, "--host", GUESS, "--password-stdin", "--timeout", "5"],
        guess_env,
        "abcdefghijklmnop\n",
    )
    assert out.returncode == 1
    assert len(net.guess.connections) == 1
    assert net.guess.connections[0][:1] == b"\x16"  # a TLS handshake record


def test_port_flag_alone_is_no_confirmation(guess_env: dict[str, str], net: GuessNet) -> None:
    """--port without --host still uses the guessed host: refused like the bare command."""
    out = run_cli(["check", EMAIL, "--port", "993", "--password-stdin"], guess_env, "x\n")
    assert out.returncode == 2
    assert net.guess.connections == []


def test_suggest_says_it_is_a_guess(guess_env: dict[str, str]) -> None:
    """suggest --json marks the guess with confirm: true and source guess."""
    out = run_cli(["suggest", EMAIL, "--json", "--no-lookup"], guess_env)
    assert out.returncode == 0, out.stderr
    assert '"confirm": true' in out.stdout
    assert '"source": "guess"' in out.stdout


def _on_a_terminal(args: list[str], env: dict[str, str], answers: list[bytes]) -> tuple[int, str]:
    """Run the CLI with a pseudo-terminal as stdin/stdout/stderr, typing ``answers``."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [str(CLI), *args], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = b""
    for answer in answers:
        deadline = time.monotonic() + 20
        while b"? [y/N]" not in seen and b"Password" not in seen[-200:]:
            if time.monotonic() > deadline:
                break
            try:
                seen += os.read(master, 4096)
            except OSError:
                break
        os.write(master, answer)
        seen = b""
    output = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(master)
    return proc.wait(timeout=30), output.decode(errors="replace")


def test_terminal_no_means_no(guess_env: dict[str, str], net: GuessNet) -> None:
    """On a terminal the CLI asks first; answering no sends nothing anywhere."""
    code, output = _on_a_terminal(["check", EMAIL], guess_env, [b"n\n"])
    assert code == 2
    assert "only a guess" in output
    assert net.guess.connections == []


def test_terminal_yes_then_password(guess_env: dict[str, str], net: GuessNet) -> None:
    """Answering yes, then typing the password, checks against the confirmed server."""
    code, _ = _on_a_terminal(
        ["check", EMAIL, "--timeout", "5"], guess_env, [b"y\n", b"abcdefghijklmnop\n"]
    )
    assert code == 1
    assert len(net.guess.connections) == 1

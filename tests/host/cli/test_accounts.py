"""delete and password from the command line: confirmation, and exit statuses a mail
client's password command can tell apart."""

from __future__ import annotations

import json
from pathlib import Path

from support.cli import run_cli, run_in_terminal

TESTS = Path(__file__).resolve().parents[2]
EMAIL = "kept@example.com"


def _save(env: dict[str, str]) -> None:
    saved = run_cli(
        ["save", EMAIL, "--host", "h.invalid", "--no-verify", "--password-stdin"],
        env,
        "kept-pw\n",
    )
    assert saved.returncode == 0, saved.stderr


def _saved(env: dict[str, str]) -> list[str]:
    listing = json.loads(run_cli(["list", "--json"], env).stdout)
    return [a["email"] for a in listing["accounts"]]


def test_delete_without_a_terminal_needs_yes(keyring_env: dict[str, str]) -> None:
    """Without a terminal delete refuses unless --yes is given, and says so."""
    _save(keyring_env)
    refused = run_cli(["delete", EMAIL], keyring_env)
    assert refused.returncode == 2
    assert "no terminal to ask for confirmation" in refused.stderr
    assert "--yes" in refused.stderr
    assert _saved(keyring_env) == [EMAIL]
    done = run_cli(["delete", EMAIL, "--yes"], keyring_env)
    assert done.returncode == 0
    assert f"Removed {EMAIL} on h.invalid." in done.stdout
    assert _saved(keyring_env) == []


def test_delete_asks_at_a_terminal(keyring_env: dict[str, str]) -> None:
    """At a terminal delete asks first: no keeps the account, yes removes it."""
    _save(keyring_env)
    question = f"Remove {EMAIL} on h.invalid from this computer? [y/N] "
    term = run_in_terminal(["delete", EMAIL], keyring_env)
    term.expect(question)
    term.send("n\r")
    assert term.wait() == 1
    assert "Nothing was removed." in term.text
    assert _saved(keyring_env) == [EMAIL]
    term = run_in_terminal(["delete", EMAIL], keyring_env)
    term.expect(question)
    term.send("y\r")
    assert term.wait() == 0
    assert _saved(keyring_env) == []


def test_password_exit_statuses(keyring_env: dict[str, str]) -> None:
    """imapkey password: 0 with the secret, 1 for no such account, 3 for a locked keyring."""
    _save(keyring_env)
    found = run_cli(["password", EMAIL], keyring_env)
    assert (found.returncode, found.stdout) == (0, "kept-pw\n")
    missing = run_cli(["password", "nobody@example.com"], keyring_env)
    assert missing.returncode == 1
    assert missing.stdout == ""
    assert "No saved account for nobody@example.com" in missing.stderr
    locked_env = dict(
        keyring_env,
        PYTHONPATH=str(TESTS),
        PYTHON_KEYRING_BACKEND="support.raising_keyring.Locked",
    )
    locked = run_cli(["password", EMAIL], locked_env)
    assert locked.returncode == 3
    assert locked.stdout == ""
    assert locked.stderr.startswith("imapkey: ")
    assert "Traceback" not in locked.stderr

"""imapkey save and recheck from the command line: --force past imapkey's own pause."""

from __future__ import annotations

import json
from collections.abc import Callable

from support.certs import CertSet
from support.cli import run_cli, server_flags
from support.scripted import Handler, ScriptedServer, imap

Start = Callable[[Handler], ScriptedServer]
REFUSE = ("{tag} NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)",)


def _logins(server: ScriptedServer) -> int:
    return server.all_received().count(b" LOGIN ") + server.all_received().count(b"AUTHENTICATE")


def test_save_force_passes_the_pause(scripted: Start, certs: CertSet, env: dict[str, str]) -> None:
    """After 3 failed logins save is paused (its hint names --force), and save --force
    checks anyway; a refused save is exit status 1 and stores nothing."""
    server = scripted(imap(login=REFUSE))
    args = ["save", "me@example.com", *server_flags(server, certs), "--password-stdin"]
    for _ in range(3):
        failed = run_cli([*args, "--json"], env, "wrong-pw\n")
        assert failed.returncode == 1, failed.stderr
        assert json.loads(failed.stdout)["check"]["outcome"] == "auth_failed"
    logins = _logins(server)
    paused = run_cli(args, env, "wrong-pw\n")
    assert paused.returncode == 1
    assert "locked_out_locally" in paused.stdout
    assert "--force" in paused.stdout
    assert _logins(server) == logins  # nothing sent while paused
    forced = run_cli([*args, "--force", "--json"], env, "wrong-pw\n")
    assert json.loads(forced.stdout)["check"]["outcome"] == "auth_failed"
    assert _logins(server) == logins + 1
    listing = run_cli(["list", "--json"], env)
    assert json.loads(listing.stdout)["accounts"] == []


def test_recheck_force_passes_the_pause(
    scripted: Start, certs: CertSet, keyring_env: dict[str, str]
) -> None:
    """recheck accepts --force too: a paused saved account is checked again on request."""
    server = scripted(imap(login=REFUSE))
    flags = server_flags(server, certs)
    saved = run_cli(
        ["save", "me@example.com", *flags, "--no-verify", "--password-stdin"],
        keyring_env,
        "stored-pw\n",
    )
    assert saved.returncode == 0, saved.stderr
    for _ in range(3):
        assert run_cli(["recheck", "me@example.com"], keyring_env).returncode == 1
    logins = _logins(server)
    paused = run_cli(["recheck", "--all", "--json"], keyring_env)
    assert paused.returncode == 1
    check = json.loads(paused.stdout)["results"][0]["check"]
    assert check["outcome"] == "locked_out_locally"
    assert _logins(server) == logins
    forced = run_cli(["recheck", "--all", "--force", "--json"], keyring_env)
    assert json.loads(forced.stdout)["results"][0]["check"]["outcome"] == "auth_failed"
    assert _logins(server) == logins + 1

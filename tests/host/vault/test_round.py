"""The whole round — save, list, failed rotation, re-check, delete — over the native protocol
and from the CLI, against the real keyring and Dovecot."""

from __future__ import annotations

import json
import subprocess

from support.certs import CertSet
from support.cli import run_cli
from support.dovecot import ACCOUNTS, Dovecot
from support.hostproc import HostProcess, chromium_args
from support.secret_service import SecretService

EMAIL = "vault@example.com"


def test_round_over_the_native_protocol(
    keyring_env: dict[str, str],
    dovecot: Dovecot,
    good_certs: CertSet,
    secret_service: SecretService,
) -> None:
    """save → list → failed rotation → recheck → check(stored) → delete, over one port."""
    server = {"host": "localhost", "port": dovecot.imaps_port, "security": "tls"}
    # The browser may not name a CA file; the host trusts the test CA through its environment.
    host = HostProcess(chromium_args(), dict(keyring_env, IMAPKEY_CA_FILE=str(good_certs.ca_file)))
    replies = []

    def ask(rid: str, kind: str, **fields: object) -> dict[str, object]:
        reply = host.request({"v": 1, "id": rid, "type": kind, **fields})
        replies.append(reply)
        assert reply["ok"] is True, reply
        result = reply["result"]
        assert isinstance(result, dict)
        return result

    saved = ask("1", "save", email=EMAIL, password=ACCOUNTS[EMAIL], server=server)
    assert saved["saved"] is True
    listed = ask("2", "list")
    assert [a["email"] for a in listed["accounts"]] == [EMAIL]
    rotation = ask("3", "save", email=EMAIL, password="wrong-new-one", server=server)
    assert (rotation["saved"], rotation["kept_previous"]) == (False, True)
    assert secret_service.lookup("imapkey/localhost", EMAIL) == ACCOUNTS[EMAIL]
    rechecked = ask("4", "recheck", email=EMAIL)
    assert rechecked["results"][0]["check"]["outcome"] == "ok"
    stored = ask("5", "check", email=EMAIL)
    assert stored["outcome"] == "ok"
    deleted = ask("6", "delete", email=EMAIL)
    assert deleted["removed"] == [{"email": EMAIL, "host": "localhost"}]
    assert ask("7", "list")["accounts"] == []
    assert secret_service.lookup("imapkey/localhost", EMAIL) is None
    rc, _, err = host.close()
    assert (rc, err) == (0, b"")
    assert ACCOUNTS[EMAIL] not in json.dumps(replies)


def test_unknown_account_over_the_port(keyring_env: dict[str, str]) -> None:
    """Deleting or re-checking an unknown account is account_not_found, and the port lives on."""
    host = HostProcess(chromium_args(), keyring_env)
    reply = host.request({"v": 1, "id": "d", "type": "delete", "email": "nobody@example.com"})
    assert reply["error"]["code"] == "account_not_found"
    assert host.request({"v": 1, "id": "h", "type": "hello"})["ok"] is True
    host.close()


def test_round_from_the_cli(
    keyring_env: dict[str, str], dovecot: Dovecot, good_certs: CertSet
) -> None:
    """The same round from the terminal; only `imapkey password` ever prints the secret."""

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return run_cli(list(args), keyring_env, stdin)

    flags = [
        "--host",
        "localhost",
        "--port",
        str(dovecot.imaps_port),
        "--ca-file",
        str(good_certs.ca_file),
        "--password-stdin",
    ]
    outputs = []
    saved = cli("save", EMAIL, *flags, stdin=ACCOUNTS[EMAIL] + "\n")
    outputs.append(saved)
    assert saved.returncode == 0, saved.stderr
    assert "Saved in the system keyring" in saved.stdout
    listed = cli("list")
    outputs.append(listed)
    assert EMAIL in listed.stdout
    assert "last: ok" in listed.stdout
    rotation = cli("save", EMAIL, *flags, stdin="wrong\n")
    outputs.append(rotation)
    assert rotation.returncode == 1
    assert "kept unchanged" in rotation.stdout
    rechecked = cli("recheck", "--all", "--json")
    outputs.append(rechecked)
    assert rechecked.returncode == 0
    assert json.loads(rechecked.stdout)["results"][0]["check"]["outcome"] == "ok"
    password = cli("password", EMAIL)
    assert password.stdout == ACCOUNTS[EMAIL] + "\n"
    deleted = cli("delete", EMAIL, "--yes")
    outputs.append(deleted)
    assert "revoke" in deleted.stdout
    assert cli("password", EMAIL).returncode == 1  # no such account
    for out in outputs:
        assert ACCOUNTS[EMAIL] not in out.stdout + out.stderr

"""The check and suggest operations over the real native host, against a real Dovecot."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from support.certs import CertSet
from support.dovecot import ACCOUNTS, Dovecot
from support.hostproc import HostProcess
from support.scripted import ScriptedServer, silent


@pytest.fixture
def env(env: dict[str, str], good_certs: CertSet) -> dict[str, str]:
    """The host trusts the test CA through its environment: the browser may not name one."""
    env["IMAPKEY_CA_FILE"] = str(good_certs.ca_file)
    return env


def check_request(
    rid: str, email: str, password: str, port: int, security: str, ca: CertSet, **extra: object
) -> dict[str, object]:
    return {
        "v": 1,
        "id": rid,
        "type": "check",
        "email": email,
        "password": password,
        "server": {"host": "localhost", "port": port, "security": security},
        **extra,
    }


def test_check_ok_and_failed_over_the_port(
    host: HostProcess, dovecot: Dovecot, good_certs: CertSet, env: dict[str, str]
) -> None:
    """A right and a wrong password on one port: ok with its ladder, then auth_failed."""
    canary = ACCOUNTS["canary@example.com"]
    good = host.request(
        check_request("c1", "canary@example.com", canary, dovecot.imaps_port, "tls", good_certs)
    )
    assert good["ok"] is True
    result = good["result"]
    assert (result["ok"], result["outcome"]) == (True, "ok")
    assert [s["name"] for s in result["stages"]] == [
        "dns",
        "connect",
        "tls",
        "greeting",
        "login",
        "mailbox",
        "logout",
    ]
    bad = host.request(
        check_request("c2", "alice@example.com", canary, dovecot.imap_port, "starttls", good_certs)
    )
    assert bad["result"]["outcome"] == "auth_failed"
    rc, _, err = host.close()
    assert (rc, err) == (0, b"")
    assert canary not in json.dumps([good, bad])
    logs = "".join(p.read_text() for p in Path(env["XDG_STATE_HOME"]).rglob("*.log"))
    assert "check localhost" in logs
    assert canary not in logs


def test_slow_check_does_not_hold_up_hello(host: HostProcess, good_certs: CertSet) -> None:
    """A check stuck on a silent server leaves the port free: hello answers first."""
    server = ScriptedServer(silent)
    try:
        host.send(
            check_request(
                "slow", "a@example.com", "pw", server.port, "starttls", good_certs, timeout=3
            )
        )
        host.send({"v": 1, "id": "h", "type": "hello"})
        first = host.recv()
        assert first is not None
        assert first["id"] == "h"
        second = host.recv()
        assert second is not None
        assert (second["id"], second["result"]["outcome"]) == ("slow", "greeting_timeout")
    finally:
        server.close()


def test_eof_during_check_exits_promptly(host: HostProcess, good_certs: CertSet) -> None:
    """Closing the port mid-check ends the host within 2 s, status 0."""
    server = ScriptedServer(silent)
    try:
        host.send(
            check_request(
                "slow", "a@example.com", "pw", server.port, "starttls", good_certs, timeout=30
            )
        )
        time.sleep(0.3)
        started = time.monotonic()
        rc, _, err = host.close()
        assert (rc, err) == (0, b"")
        assert time.monotonic() - started < 2
    finally:
        server.close()


def test_invalid_check_fields(host: HostProcess) -> None:
    """Bad fields get invalid_request naming the field, never echoing the password."""
    reply = host.request(
        {
            "v": 1,
            "id": "x",
            "type": "check",
            "email": "not-an-address",
            "password": "canary-Zx81-secret",
        }
    )
    assert reply["error"]["code"] == "invalid_request"
    assert "email" in reply["error"]["message"]
    assert "canary" not in json.dumps(reply)
    reply = host.request(
        {
            "v": 1,
            "id": "y",
            "type": "check",
            "email": "a@b.c",
            "password": "p",
            "server": {"host": "h", "port": 0, "security": "ssl"},
        }
    )
    assert reply["error"]["code"] == "invalid_request"
    assert "server.port" in reply["error"]["message"]


def test_missing_password_and_no_saved_account(host: HostProcess) -> None:
    """Without a password the saved one is used; with none saved the answer says so."""
    reply = host.request({"v": 1, "id": "x", "type": "check", "email": "a@b.c"})
    assert reply["error"]["code"] == "account_not_found"
    assert "No saved account" in reply["error"]["message"]


def test_an_empty_password_is_refused_and_not_counted(
    host: HostProcess, env: dict[str, str]
) -> None:
    """An empty password is invalid_request for check and save: never sent, never counted."""
    for kind in ("check", "save"):
        reply = host.request(
            {
                "v": 1,
                "id": kind,
                "type": kind,
                "email": "a@example.com",
                "password": "",
                "server": {"host": "localhost", "port": 1, "security": "tls"},
            }
        )
        assert reply["error"]["code"] == "invalid_request"
        assert "empty" in reply["error"]["message"]
    assert not list(Path(env["XDG_STATE_HOME"]).rglob("lockout.json"))


def test_ca_file_is_refused_from_the_browser(host: HostProcess, good_certs: CertSet) -> None:
    """A request naming a CA file is invalid_request: the browser cannot choose whom to trust."""
    for kind in ("check", "save"):
        reply = host.request(
            {
                "v": 1,
                "id": kind,
                "type": kind,
                "email": "a@b.c",
                "password": "p",
                "server": {
                    "host": "localhost",
                    "port": 993,
                    "security": "tls",
                    "ca_file": str(good_certs.ca_file),
                },
            }
        )
        assert reply["error"]["code"] == "invalid_request"
        assert "ca_file" in reply["error"]["message"]


def test_a_stored_password_check_takes_no_server(host: HostProcess) -> None:
    """Without a password, a server (port, security, CA) is refused: only the saved ones count."""
    reply = host.request(
        {
            "v": 1,
            "id": "x",
            "type": "check",
            "email": "a@b.c",
            "server": {"host": "localhost", "port": 9993, "security": "tls"},
        }
    )
    assert reply["error"]["code"] == "invalid_request"
    assert "saved settings" in reply["error"]["message"]


def test_suggest(host: HostProcess) -> None:
    """suggest answers Gmail's settings and notes for a Gmail address."""
    reply = host.request({"v": 1, "id": "s", "type": "suggest", "email": "me@gmail.com"})
    result = reply["result"]
    assert result["provider"] == "gmail"
    assert result["server"] == {"host": "imap.gmail.com", "port": 993, "security": "tls"}
    assert result["source"] == "preset"
    assert result["confirm"] is False
    assert result["app_password_link"] == "https://myaccount.google.com/apppasswords"

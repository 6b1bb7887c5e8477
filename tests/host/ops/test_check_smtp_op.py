"""check and save with ``smtp`` over the real native host, against Dovecot's submission service."""

from __future__ import annotations

import json

import pytest

from support.certs import CertSet
from support.dovecot import ACCOUNTS, Dovecot
from support.hostproc import HostProcess


@pytest.fixture
def env(env: dict[str, str], good_certs: CertSet) -> dict[str, str]:
    """The host trusts the test CA through its environment: the browser may not name one."""
    env["IMAPKEY_CA_FILE"] = str(good_certs.ca_file)
    return env


def request(rid: str, imap_port: int, **extra: object) -> dict[str, object]:
    return {
        "v": 1,
        "id": rid,
        "type": "check",
        "email": "alice@example.com",
        "password": ACCOUNTS["alice@example.com"],
        "server": {"host": "localhost", "port": imap_port, "security": "tls"},
        **extra,
    }


def test_check_both_over_the_port(
    host: HostProcess, submission: Dovecot, env: dict[str, str]
) -> None:
    """smtp {host, port, security}: the reply carries the IMAP result and ``smtp``, a result
    of the same shape with its own ladder."""
    smtp = {"host": "localhost", "port": submission.submission_port, "security": "starttls"}
    reply = host.request(request("s1", submission.imaps_port, smtp=smtp))
    assert reply["ok"] is True, reply
    result = reply["result"]
    assert result["outcome"] == "ok"
    assert result["smtp_error"] is None
    assert result["smtp"]["outcome"] == "ok"
    assert [s["name"] for s in result["smtp"]["stages"]][-2:] == ["auth", "quit"]
    assert set(result["smtp"]) == {k for k in result if k not in ("smtp", "smtp_error")}
    assert ACCOUNTS["alice@example.com"] not in json.dumps(reply)


def test_check_without_smtp_is_unchanged(
    host: HostProcess, submission: Dovecot, env: dict[str, str]
) -> None:
    """Without ``smtp`` the result has no smtp fields: older extensions see what they saw."""
    reply = host.request(request("s2", submission.imaps_port))
    assert reply["result"]["outcome"] == "ok"
    assert "smtp" not in reply["result"]


@pytest.mark.parametrize(
    "smtp",
    [
        {"host": "localhost", "port": 587, "security": "starttls", "ca_file": "/etc/passwd"},
        "yes",
        {"host": "localhost", "port": 587},
    ],
)
def test_bad_smtp_fields_are_refused(
    host: HostProcess, submission: Dovecot, env: dict[str, str], smtp: object
) -> None:
    """A CA file from the browser, a non-boolean, a server without its security: refused."""
    reply = host.request(request("s3", submission.imaps_port, smtp=smtp))
    assert reply["ok"] is False
    assert reply["error"]["code"] == "invalid_request"


def test_stored_check_takes_no_smtp_server(host: HostProcess, env: dict[str, str]) -> None:
    """Without a password, a sending server may not be named: only saved settings are used."""
    reply = host.request(
        {
            "v": 1,
            "id": "s4",
            "type": "check",
            "email": "alice@example.com",
            "smtp": {"host": "evil.example", "port": 465, "security": "tls"},
        }
    )
    assert reply["ok"] is False
    assert reply["error"]["code"] == "invalid_request"

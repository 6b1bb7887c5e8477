"""himalaya: the snippet matches the documented configuration of 1.x and of 2.x.

himalaya is in none of the registries reachable here (not Debian, not PyPI, not npm), so the
output is checked against its schema as published in pimalaya/himalaya: the keys of
config.sample.toml at v1.2.0 for 1.x, and the serde structs of src/config.rs at v2.0.0 for
2.x (ImapConfig, TlsConfig, SaslConfig and SaslPlainConfig deny unknown fields; an account
table ignores them, which is why a 1.x file silently does nothing under 2.x).
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest

from imapkey.vault.index import Account, Outgoing
from imapkey.vault.snippets import snippet
from imapkey.vault.snippets.himalaya import installed_major

# himalaya v1.2.0 config.sample.toml: the account keys an IMAP account with a password uses.
V1_ACCOUNT_KEYS = {
    "default": bool,
    "email": str,
    "display-name": str,
    "folder.aliases.inbox": str,
    "backend.type": ("imap", "maildir", "notmuch"),
    "backend.host": str,
    "backend.port": int,
    "backend.encryption.type": ("none", "start-tls", "tls"),
    "backend.login": str,
    "backend.auth.type": ("password", "oauth2"),
    "backend.auth.raw": str,
    "backend.auth.keyring": str,
    "backend.auth.cmd": str,
    # Sending, as in the same sample's message.send.backend block.
    "message.send.backend.type": ("smtp", "sendmail"),
    "message.send.backend.host": str,
    "message.send.backend.port": int,
    "message.send.backend.encryption.type": ("none", "start-tls", "tls"),
    "message.send.backend.login": str,
    "message.send.backend.auth.type": ("password", "oauth2"),
    "message.send.backend.auth.cmd": str,
}
# himalaya v2.0.0 src/config.rs.
V2_IMAP_KEYS = {"server", "tls", "starttls", "alpn", "sasl", "id", "sort"}
V2_TLS_KEYS = {"provider", "rustls", "cert"}
V2_SASL_MECHANISMS = {"anonymous", "login", "plain", "oauthbearer", "xoauth2", "scram-sha-256"}
V2_PLAIN_KEYS = {"authzid", "authcid", "username", "passwd", "password"}
V2_SECRET_FORMS = {"raw", "command", "keyring"}


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def validate_v1(account: dict[str, Any]) -> None:
    for key, value in _flatten(account).items():
        assert key in V1_ACCOUNT_KEYS, f"{key} is not a himalaya 1.x key"
        kind = V1_ACCOUNT_KEYS[key]
        if isinstance(kind, tuple):
            assert value in kind, f"{key} = {value!r} is not one of {kind}"
        else:
            assert isinstance(value, kind), f"{key} should be a {kind.__name__}"
    for required in ("backend.type", "backend.host", "backend.port", "backend.login"):
        assert required in _flatten(account)


def validate_v2(account: dict[str, Any]) -> None:
    assert "backend" not in account, "2.x ignores backend.* silently"
    imap = account["imap"]
    assert set(imap) <= V2_IMAP_KEYS
    assert isinstance(imap["server"], str)
    assert imap["server"].startswith(("imap://", "imaps://"))
    assert set(imap.get("tls", {})) <= V2_TLS_KEYS
    assert isinstance(imap.get("starttls", False), bool)
    if imap.get("starttls"):
        assert imap["server"].startswith("imap://"), "starttls is only valid with imap://"
    [(mechanism, sasl)] = imap["sasl"].items()
    assert mechanism in V2_SASL_MECHANISMS
    assert mechanism == "plain"
    assert set(sasl) <= V2_PLAIN_KEYS
    [(form, secret)] = sasl["password"].items()
    assert form in V2_SECRET_FORMS
    assert isinstance(secret, list)
    assert all(isinstance(arg, str) for arg in secret)
    assert set(account.get("mailbox", {})) <= {"alias", "aliases", "list"}


def _account(security: str, ca_file: str | None = None) -> Account:
    return Account(
        email="me+tag@example.com",
        host="imap.example.com",
        port=993 if security == "tls" else 143,
        security=security,  # type: ignore[arg-type]
        ca_file=ca_file,
        saved_at="2026-11-23T00:00:00+00:00",
    )


@pytest.mark.parametrize("security", ["tls", "starttls"])
@pytest.mark.parametrize("ca_file", [None, "/etc/ssl/private CA/ca.pem"])
def test_version_1_matches_the_1x_schema(security: str, ca_file: str | None) -> None:
    """The 1.x snippet uses only 1.x keys and values, with the saved server and encryption."""
    text = snippet("himalaya", _account(security, ca_file), "1")
    [account] = tomllib.loads(text)["accounts"].values()
    validate_v1(account)
    assert account["backend"]["host"] == "imap.example.com"
    expected = "tls" if security == "tls" else "start-tls"
    assert account["backend"]["encryption"]["type"] == expected
    assert "For himalaya 1.x" in text
    if ca_file:
        assert "SSL_CERT_FILE='/etc/ssl/private CA/ca.pem' himalaya" in text


@pytest.mark.parametrize("security", ["tls", "starttls"])
@pytest.mark.parametrize("ca_file", [None, "/etc/ssl/private CA/ca.pem"])
def test_version_2_matches_the_2x_schema(security: str, ca_file: str | None) -> None:
    """The 2.x snippet uses imap.* keys only, STARTTLS as imap:// + starttls, the CA as
    imap.tls.cert, and the password command as an argv list (no shell)."""
    text = snippet("himalaya", _account(security, ca_file), "2")
    [account] = tomllib.loads(text)["accounts"].values()
    validate_v2(account)
    imap = account["imap"]
    port = 993 if security == "tls" else 143
    scheme = "imaps" if security == "tls" else "imap"
    assert imap["server"] == f"{scheme}://imap.example.com:{port}"
    assert imap.get("starttls", False) is (security == "starttls")
    assert imap.get("tls", {}).get("cert") == ca_file
    assert imap["sasl"]["plain"]["password"]["command"][1:] == [
        "password",
        "me+tag@example.com",
        "--host",
        "imap.example.com",
    ]


def _fake_himalaya(folder: Path, output: str) -> None:
    """A stand-in `himalaya --version` (the real one is not installable here)."""
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / "himalaya"
    program.write_text(f"#!/bin/sh\necho '{output}'\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)


@pytest.mark.parametrize(
    ("output", "major"), [("himalaya v1.1.0 +imap +maildir", "1"), ("himalaya 2.0.0", "2")]
)
def test_version_is_taken_from_the_installed_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str, major: str
) -> None:
    """Without --client-version the snippet follows `himalaya --version`."""
    _fake_himalaya(tmp_path / "bin", output)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    assert installed_major() == major
    text = snippet("himalaya", _account("tls"))
    assert f"For himalaya {major}.x" in text


def test_without_himalaya_the_newest_format_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No himalaya on PATH: 2.x, and the header says how to ask for 1.x."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert installed_major() is None
    text = snippet("himalaya", _account("tls"))
    assert "For himalaya 2.x" in text
    assert "--client-version 1" in text


@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_sending_server_in_both_versions(security: str) -> None:
    """An account saved with its sending server: 1.x gets message.send.backend.*, 2.x smtp.*
    (smtps:// or smtp:// with starttls), each with the same password command as for IMAP."""
    port = 465 if security == "tls" else 587
    account = _account("tls").model_copy(
        update={"smtp": Outgoing(host="smtp.example.com", port=port, security=security)}
    )
    [v1] = tomllib.loads(snippet("himalaya", account, "1"))["accounts"].values()
    validate_v1(v1)
    send = v1["message"]["send"]["backend"]
    assert (send["host"], send["port"]) == ("smtp.example.com", port)
    assert send["encryption"]["type"] == ("tls" if security == "tls" else "start-tls")
    assert send["auth"]["cmd"] == v1["backend"]["auth"]["cmd"]
    [v2] = tomllib.loads(snippet("himalaya", account, "2"))["accounts"].values()
    validate_v2(v2)
    smtp = v2["smtp"]
    assert set(smtp) <= {"server", "tls", "starttls", "sasl"}
    scheme = "smtps" if security == "tls" else "smtp"
    assert smtp["server"] == f"{scheme}://smtp.example.com:{port}"
    assert smtp.get("starttls", False) is (security == "starttls")
    assert smtp["sasl"]["plain"] == v2["imap"]["sasl"]["plain"]
    [bare] = tomllib.loads(snippet("himalaya", _account("tls"), "2"))["accounts"].values()
    assert "smtp" not in bare

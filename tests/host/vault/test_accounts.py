"""The vault against a real Secret Service and a real Dovecot: save, rotate, list, re-check, delete."""

from __future__ import annotations

import json
from pathlib import Path

import keyring.core
import pytest
from pydantic import SecretStr

from imapkey.errors import ImapkeyError
from imapkey.prober.models import ServerSettings
from imapkey.vault import accounts, secrets
from imapkey.vault.index import Index
from support.certs import CertSet
from support.cli import run_cli
from support.dovecot import ACCOUNTS, Dovecot
from support.secret_service import SecretService


@pytest.fixture
def server(dovecot: Dovecot, good_certs: CertSet) -> ServerSettings:
    return ServerSettings(
        host="localhost", port=dovecot.imaps_port, security="tls", ca_file=str(good_certs.ca_file)
    )


def test_save_then_list(
    keyring_env: dict[str, str], server: ServerSettings, secret_service: SecretService
) -> None:
    """A checked password lands in the keyring under the documented scheme; list shows no secret."""
    email = "vault@example.com"
    saved = accounts.save(email, SecretStr(ACCOUNTS[email]), server)
    assert (saved["saved"], saved["rotated"]) == (True, False)
    assert saved["check"]["outcome"] == "ok"
    assert secret_service.lookup("imapkey/localhost", email) == ACCOUNTS[email]
    listing = accounts.list_accounts()
    [entry] = listing["accounts"]
    assert entry["email"] == email
    assert entry["secret_present"] is True
    assert entry["last_outcome"] == "ok"
    assert entry["last_ok_at"]
    assert entry["keyring_service"] == "imapkey/localhost"
    assert ACCOUNTS[email] not in json.dumps(listing)


def test_failed_rotation_keeps_the_working_password(
    keyring_env: dict[str, str], server: ServerSettings, secret_service: SecretService
) -> None:
    """A new password that fails is not stored; the old one stays and the reply says so."""
    email = "vault@example.com"
    accounts.save(email, SecretStr(ACCOUNTS[email]), server)
    failed = accounts.save(email, SecretStr("not-the-password"), server)
    assert (failed["saved"], failed["kept_previous"]) == (False, True)
    assert failed["check"]["outcome"] == "auth_failed"
    assert "kept unchanged" in failed["message"]
    assert secret_service.lookup("imapkey/localhost", email) == ACCOUNTS[email]
    [entry] = accounts.list_accounts()["accounts"]
    assert entry["last_outcome"] == "auth_failed"
    assert entry["last_ok_at"]  # it did work before


def test_successful_rotation_replaces(
    keyring_env: dict[str, str],
    server: ServerSettings,
    dovecot: Dovecot,
    secret_service: SecretService,
) -> None:
    """Once the provider has the new password, saving it replaces the stored one."""
    email = "rotate@example.com"
    old = ACCOUNTS[email]
    accounts.save(email, SecretStr(old), server)
    dovecot.set_password(email, "rotate-second-pw")
    try:
        rotated = accounts.save(email, SecretStr("rotate-second-pw"), server)
        assert (rotated["saved"], rotated["rotated"]) == (True, True)
        assert secret_service.lookup("imapkey/localhost", email) == "rotate-second-pw"
        assert len(Index().find(email)) == 1
    finally:
        dovecot.set_password(email, old)


def test_app_password_is_stored_without_its_spaces(keyring_env: dict[str, str]) -> None:
    """An app password pasted in groups is stored the way it is sent: 16 letters."""
    server = ServerSettings(host="imap.gmail.com", port=993, security="tls")
    accounts.save("me@gmail.com", SecretStr("abcd efgh ijkl mnop"), server, verify=False)
    assert accounts.stored_password("me@gmail.com") == "abcdefghijklmnop"


def test_no_verify_saves_without_connecting(keyring_env: dict[str, str]) -> None:
    """--no-verify stores at once, with no check recorded."""
    server = ServerSettings(host="imap.example.invalid", port=993, security="tls")
    saved = accounts.save("x@example.com", SecretStr("whatever"), server, verify=False)
    assert saved["saved"] is True
    assert saved["check"] is None
    assert accounts.stored_password("x@example.com") == "whatever"


def test_recheck_records_the_outcome(
    keyring_env: dict[str, str], server: ServerSettings, dovecot: Dovecot
) -> None:
    """recheck uses the stored secret and records when it last checked and how."""
    email = "vault@example.com"
    accounts.save(email, SecretStr(ACCOUNTS[email]), server)
    accounts.save("alice@example.com", SecretStr(ACCOUNTS["alice@example.com"]), server)
    one = accounts.recheck(email)
    assert [r["check"]["outcome"] for r in one["results"]] == ["ok"]
    every = accounts.recheck()
    assert sorted(r["email"] for r in every["results"]) == ["alice@example.com", email]
    assert all(r["check"]["outcome"] == "ok" for r in every["results"])
    assert all(a["last_checked_at"] for a in accounts.list_accounts()["accounts"])


def test_check_with_the_stored_password(
    keyring_env: dict[str, str], server: ServerSettings
) -> None:
    """A check without a password uses the saved one."""
    email = "vault@example.com"
    accounts.save(email, SecretStr(ACCOUNTS[email]), server)
    result = accounts.check_stored(email, None, 5, False)
    assert result.outcome == "ok"


def test_vanished_secret_is_shown_not_hidden(
    keyring_env: dict[str, str], server: ServerSettings
) -> None:
    """An index entry whose keyring item was removed behind our back is listed as such."""
    email = "vault@example.com"
    accounts.save(email, SecretStr(ACCOUNTS[email]), server)
    keyring.core.delete_password("imapkey/localhost", email)
    [entry] = accounts.list_accounts()["accounts"]
    assert entry["secret_present"] is False
    [result] = accounts.recheck(email)["results"]
    assert result["error"]["code"] == "account_not_found"


def test_delete_removes_both_and_reminds_to_revoke(
    keyring_env: dict[str, str], server: ServerSettings, secret_service: SecretService
) -> None:
    """delete removes the keyring item and the entry, and points at revoking the app password."""
    email = "vault@example.com"
    accounts.save(email, SecretStr(ACCOUNTS[email]), server)
    gone = accounts.delete(email)
    assert gone["removed"] == [{"email": email, "host": "localhost"}]
    assert "revoke" in gone["message"].lower() or "revoke" in gone["hint"].lower()
    assert secret_service.lookup("imapkey/localhost", email) is None
    assert accounts.list_accounts()["accounts"] == []
    with pytest.raises(ImapkeyError) as info:
        accounts.delete(email)
    assert info.value.code == "account_not_found"


def test_delete_gmail_links_to_app_passwords(keyring_env: dict[str, str]) -> None:
    """For a Gmail address the reminder links to Google's App passwords page."""
    server = ServerSettings(host="imap.gmail.com", port=993, security="tls")
    accounts.save("me@gmail.com", SecretStr("abcdefghijklmnop"), server, verify=False)
    assert accounts.delete("me@gmail.com")["link"] == "https://myaccount.google.com/apppasswords"


# --- The keyring failing --------------------------------------------------------------------

TESTS = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ("no-bus", "keyring_unavailable"),
        ("dead-bus", "keyring_unavailable"),
        ("fail-backend", "keyring_unavailable"),
        ("raising-backend", "storage_error"),
        ("locked", "keyring_locked"),
    ],
)
def test_keyring_failures_are_clear_and_lose_nothing(
    keyring_env: dict[str, str], setup: str, code: str
) -> None:
    """Each keyring failure is one stable code with a fix, no traceback, no secret; the index
    is left as it was and still lists."""
    saved = run_cli(
        ["save", "kept@example.com", "--host", "h.invalid", "--no-verify", "--password-stdin"],
        keyring_env,
        "kept-pw\n",
    )
    assert saved.returncode == 0, saved.stderr
    index_path = Path(keyring_env["XDG_DATA_HOME"]) / "imapkey" / "accounts.json"
    before = index_path.read_bytes()
    env = dict(keyring_env, PYTHONPATH=str(TESTS))
    if setup == "no-bus":
        del env["DBUS_SESSION_BUS_ADDRESS"]
    elif setup == "dead-bus":
        env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus"
    elif setup == "fail-backend":
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    elif setup == "raising-backend":
        env["PYTHON_KEYRING_BACKEND"] = "support.raising_keyring.Raising"
    else:
        env["PYTHON_KEYRING_BACKEND"] = "support.raising_keyring.Locked"
    canary = "canary-new-secret-55"
    failed = run_cli(
        ["save", "new@example.com", "--host", "h.invalid", "--no-verify", "--password-stdin"],
        env,
        canary + "\n",
    )
    assert failed.returncode == 3  # keyring or storage (imapkey.cli.exitcodes)
    assert "Traceback" not in failed.stderr
    assert failed.stderr.startswith("imapkey: ")
    assert index_path.read_bytes() == before
    listing = run_cli(["list", "--json"], env)
    data = json.loads(listing.stdout)
    assert [a["email"] for a in data["accounts"]] == ["kept@example.com"]
    assert data["keyring_error"]["code"] == code
    assert data["accounts"][0]["secret_present"] is None
    logs = "".join(p.read_text() for p in Path(env["XDG_STATE_HOME"]).rglob("*.log"))
    for text in (failed.stdout, failed.stderr, listing.stdout, listing.stderr, logs):
        assert canary not in text
        assert "canary-backend" not in text


def test_secrets_module_names_its_backend(keyring_env: dict[str, str]) -> None:
    """The real Secret Service backend is the one in use in these tests."""
    assert secrets.backend_name() == "keyring.backends.SecretService.Keyring"


def test_resaving_in_other_capitals_replaces_the_secret(
    keyring_env: dict[str, str], server: ServerSettings, secret_service: SecretService
) -> None:
    """Me@Example.com replaces me@example.com: one account, and no secret left behind."""
    accounts.save("case@example.com", SecretStr("first-secret"), server, verify=False)
    accounts.save("Case@Example.com", SecretStr("second-secret"), server, verify=False)
    assert [a["email"] for a in accounts.list_accounts()["accounts"]] == ["Case@Example.com"]
    assert secret_service.lookup("imapkey/localhost", "Case@Example.com") == "second-secret"
    assert secret_service.lookup("imapkey/localhost", "case@example.com") is None


def test_orphaned_secret_is_listed_and_can_be_removed(
    keyring_env: dict[str, str], secret_service: SecretService
) -> None:
    """A keyring item with no account (a crash between the two writes) shows up and goes away."""
    secrets.put("orphan@example.com", "imap.orphan.invalid", "left-behind")
    listing = accounts.list_accounts()
    orphan = {
        "email": "orphan@example.com",
        "host": "imap.orphan.invalid",
        "keyring_service": "imapkey/imap.orphan.invalid",
    }
    assert orphan in listing["orphans"]
    assert "left-behind" not in json.dumps(listing)
    removed = accounts.delete("orphan@example.com", "imap.orphan.invalid")
    assert removed["removed"] == [{"email": "orphan@example.com", "host": "imap.orphan.invalid"}]
    assert secret_service.lookup("imapkey/imap.orphan.invalid", "orphan@example.com") is None
    assert orphan not in accounts.list_accounts()["orphans"]


def test_one_broken_account_does_not_fail_recheck_all(
    keyring_env: dict[str, str], server: ServerSettings, tmp_path: Path
) -> None:
    """An account whose CA file is gone answers with its own error; the others are checked."""
    email = "vault@example.com"
    accounts.save(email, SecretStr(ACCOUNTS[email]), server)
    gone = tmp_path / "gone-ca.pem"
    gone.write_bytes(Path(str(server.ca_file)).read_bytes())
    broken = server.model_copy(update={"ca_file": str(gone)})
    accounts.save("canary@example.com", SecretStr(ACCOUNTS["canary@example.com"]), broken)
    gone.unlink()
    results = {r["email"]: r for r in accounts.recheck()["results"]}
    assert results[email]["check"]["outcome"] == "ok"
    assert results["canary@example.com"]["check"] is None
    assert results["canary@example.com"]["error"]["code"] == "invalid_request"


def test_a_damaged_index_is_never_overwritten(
    keyring_env: dict[str, str], server: ServerSettings
) -> None:
    """A corrupt index is refused with storage_error, kept aside, and left as it was."""
    index = Index()
    index.path.parent.mkdir(parents=True, exist_ok=True)
    index.path.write_text('{"version": 1, "accounts": [{"email": "other@example.com", ')
    before = index.path.read_bytes()
    with pytest.raises(ImapkeyError) as raised:
        accounts.save("vault@example.com", SecretStr("x"), server, verify=False)
    assert raised.value.code == "storage_error"
    assert "damaged" in raised.value.message
    assert index.path.read_bytes() == before
    assert index.path.with_name("accounts.json.damaged").read_bytes() == before
    with pytest.raises(ImapkeyError):
        accounts.list_accounts()


def test_an_unreadable_entry_survives_a_write(
    keyring_env: dict[str, str], server: ServerSettings
) -> None:
    """An entry this version cannot read is written back as it was, not dropped."""
    index = Index()
    index.path.parent.mkdir(parents=True, exist_ok=True)
    future = {"email": "future@example.com", "kind": "jmap"}
    index.path.write_text(json.dumps({"version": 1, "accounts": [future]}))
    accounts.save("vault@example.com", SecretStr("x"), server, verify=False)
    written = json.loads(index.path.read_text())["accounts"]
    assert future in written
    assert [a.email for a in index.load()] == ["vault@example.com"]


def test_index_only_list_answers_without_the_keyring(
    keyring_env: dict[str, str], server: ServerSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """with_secrets=False lists from the index alone: it answers even with the keyring
    unreachable, says that secrets were not checked, and lists no orphans."""
    accounts.save("vault@example.com", SecretStr("x"), server, verify=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    keyring.core.init_backend()
    quick = accounts.list_accounts(with_secrets=False)
    assert [a["email"] for a in quick["accounts"]] == ["vault@example.com"]
    assert quick["accounts"][0]["secret_present"] is None
    assert (quick["secrets_checked"], quick["orphans"], quick["keyring_error"]) == (False, [], None)
    full = accounts.list_accounts()
    assert full["secrets_checked"] is True
    assert full["keyring_error"]["code"] == "keyring_unavailable"


def test_a_damaged_sending_server_does_not_fail_recheck_all(
    keyring_env: dict[str, str], server: ServerSettings
) -> None:
    """A sending server in the index that no check would accept (tampered) is passed over:
    receiving is still checked and recorded, and no other account's result is shifted."""
    email = "vault@example.com"
    accounts.save(email, SecretStr(ACCOUNTS[email]), server)
    accounts.save("canary@example.com", SecretStr(ACCOUNTS["canary@example.com"]), server)
    index = Index()
    data = json.loads(index.path.read_text())
    for entry in data["accounts"]:
        if entry["email"] == email:
            entry["smtp"] = {"host": "smtp.example.com;id", "port": 465, "security": "tls"}
    index.path.write_text(json.dumps(data))
    results = {r["email"]: r for r in accounts.recheck()["results"]}
    assert results[email]["check"]["outcome"] == "ok"
    assert results[email]["smtp"] is None
    assert results["canary@example.com"]["check"]["outcome"] == "ok"

"""``list`` without keyring: the remembered backend and the Secret Service searched directly.

Every test runs against the real gnome-keyring on a private bus (``keyring_env``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from imapkey.prober.models import ServerSettings
from imapkey.vault import accounts, backend_memo, secret_service, secrets
from support.hostproc import serve_once
from support.secret_service import SecretService
from support.services import require

APPID = "Python keyring library"


@pytest.fixture
def server(keyring_env: dict[str, str]) -> Iterator[ServerSettings]:
    """The account server of these tests; their secrets are removed afterwards, since the
    keyring is shared by the whole session."""
    yield ServerSettings(host="imap.quick.test", port=993, security="tls")
    for host, email in secrets.stored_items() or ():
        if host in ("imap.quick.test", "imap.count.test"):
            secrets.remove(email, host)


def _slow_items() -> set[tuple[str, str]] | None:
    """What keyring's own search finds (the memo taken away first)."""
    backend_memo.memo_path().unlink(missing_ok=True)
    return secrets.stored_items()


def _store_foreign(secret_service: SecretService, service: str, user: str) -> None:
    """An item another program stored with libsecret (secret-tool), not Python keyring."""
    tool = require("secret-tool", "libsecret-tools")
    subprocess.run(
        [tool, "store", "--label", "foreign", "service", service, "username", user],
        input=b"foreign-secret",
        env=secret_service.env,
        check=True,
    )


def test_a_keyring_call_remembers_the_secret_service(keyring_env: dict[str, str]) -> None:
    """Once keyring has chosen (any keyring call), its choice and the search's facts are kept."""
    backend_memo.memo_path().unlink(missing_ok=True)
    assert backend_memo.recall() is None
    secrets.get("nobody@quick.test", "imap.quick.test")
    memo = backend_memo.recall()
    assert memo is not None
    assert memo["backend"] == backend_memo.SECRET_SERVICE
    assert memo["appid"] == APPID
    assert memo["collection"] is None
    assert (memo["service_attribute"], memo["username_attribute"]) == ("service", "username")
    assert backend_memo.memo_path().stat().st_mode & 0o777 == 0o600


def test_the_memo_never_holds_a_keyring_variable_s_value(
    keyring_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keyring variable may hold a password: only a hash of it is kept, and still told apart."""
    canary = "canary-cryptfile-password-71"
    monkeypatch.setenv("KEYRING_CRYPTFILE_PASSWORD", canary)
    secrets.get("nobody@quick.test", "imap.quick.test")
    assert backend_memo.recall() is not None
    assert canary not in backend_memo.memo_path().read_text()
    monkeypatch.setenv("KEYRING_CRYPTFILE_PASSWORD", canary + "-changed")
    assert backend_memo.recall() is None


def test_quick_search_finds_what_keyring_finds(
    keyring_env: dict[str, str], server: ServerSettings, secret_service: SecretService
) -> None:
    """Accounts, an orphan, other programs' items and a foreign app's: both searches agree."""
    for i in range(3):
        accounts.save(f"q{i}@quick.test", SecretStr(f"pw-{i}"), server, verify=False)
    secrets.put("orphan@quick.test", "imap.quick.test", "orphan-secret")
    _store_foreign(secret_service, "imapkey/imap.quick.test", "foreign@quick.test")
    quick = secrets._stored_items_quick()
    assert quick is not None
    assert ("imap.quick.test", "orphan@quick.test") in quick
    assert ("imap.quick.test", "foreign@quick.test") not in quick  # not keyring's application
    assert quick == _slow_items()
    listed = accounts.list_accounts()
    assert "orphan@quick.test" in [o["email"] for o in listed["orphans"]]
    assert all(a["secret_present"] for a in listed["accounts"])


def test_quick_search_takes_two_exchanges_for_any_number_of_items(
    server: ServerSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Search and attributes cost one wait on the bus each, for 2 items as for 12."""
    calls: list[int] = []
    real = secret_service._exchange

    def counting(conn: Any, messages: list[Any], deadline: float) -> Any:
        calls.append(len(messages))
        return real(conn, messages, deadline)

    monkeypatch.setattr(secret_service, "_exchange", counting)
    for count in (2, 12):
        for i in range(count):
            secrets.put(f"n{i}@count{count}.test", "imap.count.test", "pw")
        calls.clear()
        found = secrets._stored_items_quick()
        assert found is not None
        assert {e for _, e in found} >= {f"n{i}@count{count}.test" for i in range(count)}
        assert len(calls) == 2
        assert calls[1] >= count  # one Get per item, all sent before the first reply


def test_missing_secret_is_found_by_the_quick_search(
    keyring_env: dict[str, str], server: ServerSettings, secret_service: SecretService
) -> None:
    """A secret removed behind imapkey's back shows as missing on the quick path too."""
    accounts.save("gone@quick.test", SecretStr("pw"), server, verify=False)
    accounts.save("kept@quick.test", SecretStr("pw"), server, verify=False)
    subprocess.run(
        [
            require("secret-tool", "libsecret-tools"),
            "clear",
            "service",
            "imapkey/imap.quick.test",
            "username",
            "gone@quick.test",
        ],
        env=secret_service.env,
        check=True,
    )
    quick = secrets._stored_items_quick()
    assert quick is not None  # the direct search answered, not keyring
    assert ("imap.quick.test", "kept@quick.test") in quick
    assert ("imap.quick.test", "gone@quick.test") not in quick
    present = {a["email"]: a["secret_present"] for a in accounts.list_accounts()["accounts"]}
    assert present == {"gone@quick.test": False, "kept@quick.test": True}


@pytest.mark.parametrize(
    "change",
    ["backend_env", "property_env", "config_file", "package_installed", "desktop"],
)
def test_anything_that_decides_keyrings_choice_forgets_it(
    keyring_env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """An env variable, a config file, a package installed or another desktop: ask keyring."""
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])
    secrets.get("nobody@quick.test", "imap.quick.test")
    assert backend_memo.recall() is not None
    if change == "backend_env":
        monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    elif change == "property_env":
        monkeypatch.setenv("KEYRING_PROPERTY_PREFERRED_COLLECTION", "/x")
    elif change == "config_file":
        cfg = Path(os.environ["XDG_CONFIG_HOME"]) / "python_keyring" / "keyringrc.cfg"
        cfg.parent.mkdir(parents=True)
        cfg.write_text("[backend]\ndefault-keyring=keyring.backends.fail.Keyring\n")
    elif change == "package_installed":
        (site / "keyrings_other-1.0.dist-info").mkdir()
        # The folder's stamp changes with the new entry; set it apart explicitly, so two
        # writes within one coarse clock tick cannot look alike.
        stamp = site.stat().st_mtime_ns
        os.utime(site, ns=(stamp, stamp + 1_000_000_000))
    else:
        monkeypatch.setenv("XDG_CURRENT_DESKTOP", "KDE")
    assert backend_memo.recall() is None


def test_another_backend_is_not_remembered(keyring_env: dict[str, str]) -> None:
    """A choice other than the Secret Service removes the memo: only keyring can search it."""
    from keyring.backends import fail

    secrets.get("nobody@quick.test", "imap.quick.test")
    assert backend_memo.memo_path().exists()
    backend_memo.remember(fail.Keyring())
    assert not backend_memo.memo_path().exists()
    assert backend_memo.recall() is None


def test_a_damaged_memo_is_ignored(keyring_env: dict[str, str]) -> None:
    """A memo that is not JSON, or names another backend, means: ask keyring."""
    secrets.get("nobody@quick.test", "imap.quick.test")
    path = backend_memo.memo_path()
    path.write_text("{not json")
    assert backend_memo.recall() is None
    path.write_text('{"backend": "keyring.backends.kwallet.DBusKeyring"}')
    assert backend_memo.recall() is None


def test_a_preferred_collection_is_searched_as_keyring_searches_it(
    keyring_env: dict[str, str], server: ServerSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """keyring's preferred_collection, given as the default alias, finds the same items; a
    collection that does not exist gives no answer (keyring refuses it: keyring_unavailable)."""
    accounts.save("pref@quick.test", SecretStr("pw"), server, verify=False)
    import keyring

    # What KEYRING_PROPERTY_PREFERRED_COLLECTION (or keyringrc.cfg) sets on the backend.
    backend = keyring.get_keyring()
    monkeypatch.setattr(
        backend, "preferred_collection", secret_service.DEFAULT_COLLECTION, raising=False
    )
    secrets.get("nobody@quick.test", "imap.quick.test")  # keyring chooses; the memo follows
    memo = backend_memo.recall()
    assert memo is not None
    assert memo["collection"] == secret_service.DEFAULT_COLLECTION
    quick = secrets._stored_items_quick()
    assert quick is not None
    assert ("imap.quick.test", "pref@quick.test") in quick
    assert quick == _slow_items()
    missing = "/org/freedesktop/secrets/collection/no_such_collection"
    assert secret_service.search({"application": APPID}, missing) is None


def test_no_session_bus_means_keyring_decides(
    keyring_env: dict[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With no bus at the address, the quick search gives no answer (keyring explains)."""
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path / 'none'}")
    assert secret_service.search({"application": APPID}, None) is None


def test_locked_items_leave_the_answer_to_keyring(tmp_path: Path) -> None:
    """A locked collection (keyring would unlock it first, maybe with a prompt; KeePassXC does
    not even search it): no answer, where the same search answered before the lock."""
    service = SecretService(tmp_path / "locked-keyring")
    service.start()
    try:
        env = dict(os.environ, **service.env)
        script = (
            "import keyring\n"
            "from keyring.backends import SecretService\n"
            "keyring.set_keyring(SecretService.Keyring())\n"
            "keyring.set_password('imapkey/h.test', 'locked@h.test', 'pw')\n"
            "from imapkey.vault import secret_service\n"
            f"before = secret_service.search({{'application': {APPID!r}}}, None)\n"
            "print('before', len(before))\n"
            "from jeepney import DBusAddress, new_method_call\n"
            "from jeepney.io.blocking import open_dbus_connection\n"
            "svc = DBusAddress('/org/freedesktop/secrets', bus_name='org.freedesktop.secrets',"
            " interface='org.freedesktop.Secret.Service')\n"
            "with open_dbus_connection('SESSION') as c:\n"
            "    path = c.send_and_get_reply(new_method_call(svc, 'ReadAlias', 's',"
            " ('default',))).body[0]\n"
            "    c.send_and_get_reply(new_method_call(svc, 'Lock', 'ao', ([path],)))\n"
            f"print('after', secret_service.search({{'application': {APPID!r}}}, None))\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        assert out.stdout.split() == ["before", "1", "after", "None"]
    finally:
        service.stop()


def _host_list(env: dict[str, str]) -> tuple[dict[str, Any], set[str]]:
    """Serve one ``list`` in a real host process: its reply, and the modules it imported."""
    return serve_once({"v": 1, "id": "l", "type": "list"}, env)


def test_host_list_with_a_remembered_backend_imports_no_keyring(
    keyring_env: dict[str, str], server: ServerSettings
) -> None:
    """The popup's full list: the same answer as keyring's, without importing keyring."""
    accounts.save("host@quick.test", SecretStr("pw"), server, verify=False)
    secrets.put("orphan2@quick.test", "imap.quick.test", "pw")
    backend_memo.memo_path().unlink()
    slow, slow_modules = _host_list(keyring_env)  # keyring decides, and is remembered
    assert "keyring" in slow_modules
    quick, quick_modules = _host_list(keyring_env)
    assert quick == slow
    assert quick["ok"]
    assert quick["result"]["secrets_checked"] is True
    assert "orphan2@quick.test" in [o["email"] for o in quick["result"]["orphans"]]
    assert "jeepney" in quick_modules
    assert not quick_modules & {"keyring", "secretstorage", "cryptography", "importlib.metadata"}

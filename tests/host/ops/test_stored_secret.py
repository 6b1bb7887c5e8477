"""A stored password goes only to the server it was saved for, whatever a request names."""

from __future__ import annotations

import trustme
from pydantic import SecretStr

from imapkey.prober.models import ServerSettings
from imapkey.vault import accounts
from support.certs import CertSet, issue
from support.dovecot import ACCOUNTS, Dovecot
from support.hostproc import HostProcess, chromium_args
from support.scripted import ScriptedServer, imap

EMAIL = "vault@example.com"


def test_a_passwordless_check_cannot_redirect_the_stored_secret(
    keyring_env: dict[str, str],
    dovecot: Dovecot,
    good_certs: CertSet,
    tmp_path_factory: object,
) -> None:
    """The attack: another port of the saved host, with a CA the caller planted. Refused, and
    the attacker's server receives nothing; naming the saved account alone still works."""
    saved = ServerSettings(
        host="localhost", port=dovecot.imaps_port, security="tls", ca_file=str(good_certs.ca_file)
    )
    accounts.save(EMAIL, SecretStr(ACCOUNTS[EMAIL]), saved)
    rogue_ca = trustme.CA()
    rogue_certs = issue(tmp_path_factory.mktemp("rogue"), "rogue", rogue_ca)  # type: ignore[attr-defined]
    rogue = ScriptedServer(imap(), rogue_certs)
    host = HostProcess(chromium_args(), keyring_env)
    try:
        for server in (
            {"host": "localhost", "port": rogue.port, "security": "tls"},
            {
                "host": "localhost",
                "port": rogue.port,
                "security": "tls",
                "ca_file": str(rogue_certs.ca_file),
            },
            {"host": "localhost", "port": dovecot.imaps_port, "security": "tls"},
        ):
            reply = host.request(
                {"v": 1, "id": "a", "type": "check", "email": EMAIL, "server": server}
            )
            assert reply["error"]["code"] == "invalid_request"
        named = host.request(
            {"v": 1, "id": "b", "type": "check", "email": EMAIL, "host": "localhost"}
        )
        assert named["result"]["outcome"] == "ok"
        assert named["result"]["server"]["port"] == dovecot.imaps_port
        host.close()
    finally:
        rogue.close()
    assert rogue.received == []

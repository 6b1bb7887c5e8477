"""Mail-client fragments: each one's password command really returns the stored secret."""

from __future__ import annotations

import re
import subprocess
import tomllib

import pytest
from pydantic import SecretStr

from imapkey.prober.models import ServerSettings
from imapkey.vault import accounts
from imapkey.vault.index import Index
from imapkey.vault.snippets import CLIENTS, snippet

SECRET = 'sn1ppet "secret" \\ with spaces'


def _command(client: str, text: str) -> list[str]:
    """The password command exactly as each client would run it."""
    if client == "mbsync":
        match = re.search(r'^PassCmd "(.*)"$', text, re.M)
        assert match
        return ["sh", "-c", match.group(1)]
    if client == "neomutt":
        match = re.search(r'^set imap_pass = "`(.*)`"$', text, re.M)
        assert match
        return ["sh", "-c", match.group(1)]
    if client == "aerc":
        match = re.search(r"^source-cred-cmd = (.*)$", text, re.M)
        assert match
        return ["sh", "-c", match.group(1)]
    if client == "himalaya":
        config = tomllib.loads(text)
        [account] = config["accounts"].values()
        return ["sh", "-c", account["backend"]["auth"]["cmd"]]
    match = re.search(r"^remotepasseval = (.*)$", text, re.M)
    assert match
    return ["python3", "-c", f"import sys; sys.stdout.write({match.group(1)})"]


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_fragment_password_command_returns_the_secret(
    keyring_env: dict[str, str], client: str, security: str
) -> None:
    """The fragment names the saved server and its command prints the keyring's secret."""
    port = 993 if security == "tls" else 143
    server = ServerSettings(host="imap.example.invalid", port=port, security=security)
    accounts.save("snip@example.com", SecretStr(SECRET), server, verify=False)
    [account] = Index().find("snip@example.com")
    text = snippet(client, account)
    assert "imap.example.invalid" in text
    assert str(port) in text
    assert SECRET not in text
    out = subprocess.run(
        _command(client, text), capture_output=True, text=True, env=keyring_env, check=True
    )
    assert out.stdout.rstrip("\n") == SECRET

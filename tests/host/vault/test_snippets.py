"""Mail-client configurations: the password command works, values are escaped or refused.

The real clients run on them in clients/test_real_clients.py; here are the properties that
hold for every client whatever its version: the password command each client would run
prints the keyring's secret, and a hostile value written straight into the account index
(bypassing every check at entry) is refused by the rendering layer, with nothing printed.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest
from pydantic import SecretStr

from imapkey.prober.models import ServerSettings
from imapkey.vault import accounts
from imapkey.vault.index import Account, Index, Outgoing
from imapkey.vault.snippets import CLIENTS, UnsafeValue, snippet
from support.cli import run_cli

SECRET = 'sn1ppet "secret" \\ with `spaces` $HOME'


def _command(client: str, text: str) -> list[str]:
    """The password command exactly as each client would run it."""
    if client == "mbsync":
        match = re.search(r'^PassCmd "(.*)"$', text, re.M)
        assert match
        return ["sh", "-c", re.sub(r"\\(.)", r"\1", match.group(1))]
    if client == "neomutt":
        match = re.search(r'^set imap_pass = "`(.*)`"$', text, re.M)
        assert match
        return ["sh", "-c", match.group(1)]
    if client == "aerc":
        match = re.search(r"^source-cred-cmd = `(.*)`$", text, re.M)
        assert match
        return ["sh", "-c", match.group(1)]
    if client == "himalaya":
        [account] = tomllib.loads(text)["accounts"].values()
        command = account["imap"]["sasl"]["plain"]["password"]["command"]
        assert isinstance(command, list)
        return [str(part) for part in command]
    if client == "msmtp":
        match = re.search(r'^passwordeval "(.*)"$', text, re.M)
        assert match
        return ["sh", "-c", re.sub(r"\\(.)", r"\1", match.group(1))]
    match = re.search(r"^remotepasseval = (.*)$", text, re.M)
    assert match
    expression = match.group(1).replace("%%", "%")
    return ["python3", "-c", f"import sys; sys.stdout.write({expression})"]


@pytest.mark.service
@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("security", ["tls", "starttls"])
def test_password_command_returns_the_secret(
    keyring_env: dict[str, str], client: str, security: str
) -> None:
    """The configuration names the saved server and its command prints the keyring's secret."""
    port = 993 if security == "tls" else 143
    server = ServerSettings(host="imap.example.invalid", port=port, security=security)
    sending = ServerSettings(host="smtp.example.invalid", port=587, security="starttls")
    accounts.save("snip@example.com", SecretStr(SECRET), server, verify=False, smtp=sending)
    [account] = Index().find("snip@example.com")
    text = snippet(client, account, "2")
    assert "imap.example.invalid" in text  # in the password command, for msmtp
    assert str(587 if client == "msmtp" else port) in text
    assert SECRET not in text
    out = subprocess.run(
        _command(client, text), capture_output=True, text=True, env=keyring_env, check=True
    )
    assert out.stdout.rstrip("\n") == SECRET


def _account(**fields: object) -> Account:
    base: dict[str, object] = {
        "email": "me@example.com",
        "host": "imap.example.com",
        "port": 993,
        "security": "tls",
        "ca_file": None,
        "saved_at": "2026-11-23T00:00:00+00:00",
        "smtp": Outgoing.model_construct(host="smtp.example.com", port=465, security="tls"),
    }
    base.update(fields)
    return Account.model_construct(**base)  # type: ignore[arg-type]


# What the security review injected (issue 9, finding 3), and kin: each would run a command
# or add a directive in at least one client's syntax.
HOSTILE = {
    "backtick in the address": {"email": "x`id`@example.com"},
    "quote in the address": {"email": 'x"@example.com'},
    "single quote in the address": {"email": "x'$(id)'@example.com"},
    "newline in the address": {"email": "x@example.com\nPassCmd id"},
    "backtick in the host": {"host": "imap.example.com`id`"},
    "shell in the host": {"host": "imap.example.com;id"},
    "newline in the host": {"host": "imap.example.com\nremotehosteval = __import__('os')"},
    "space in the host": {"host": "imap.example.com remotehosteval"},
    "newline in the CA file": {"ca_file": "/tmp/ca.pem\nPassCmd id"},
    "relative CA file": {"ca_file": "ca.pem"},
    "bidi control in the address": {"email": "x\u202e@example.com"},
}


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_value_is_refused(client: str, case: str) -> None:
    """A value that fails the entry checks is refused at rendering too, never written."""
    with pytest.raises(UnsafeValue) as caught:
        snippet(client, _account(**HOSTILE[case]), "2")
    assert caught.value.code == "invalid_request"
    assert "cannot be written" in caught.value.message


@pytest.mark.parametrize(
    ("client", "email"),
    [
        ("neomutt", "x$imap_user@example.com"),  # neomutt expands $name even in single quotes
        ("himalaya", "x$HOME@example.com"),  # himalaya 2 shell-expands the user name
    ],
)
def test_value_the_client_cannot_escape_is_refused(client: str, email: str) -> None:
    """Where a client's syntax has no escape for a character, the snippet is refused."""
    with pytest.raises(UnsafeValue, match="cannot escape"):
        snippet(client, _account(email=email), "2")


@pytest.mark.parametrize(
    "smtp",
    [
        {"host": "smtp.example.com;id", "port": 465, "security": "tls"},
        {"host": "smtp.example.com\npasswordeval id", "port": 465, "security": "tls"},
        {"host": "smtp.example.com", "port": 0, "security": "tls"},
        {"host": "smtp.example.com", "port": 465, "security": "none"},
        {"host": "smtp.example.com", "port": 465, "security": "tls", "ca_file": "ca.pem"},
    ],
)
def test_hostile_sending_server_is_refused(smtp: dict[str, object]) -> None:
    """A tampered sending server in the index is refused by the msmtp snippet, never written."""
    with pytest.raises(UnsafeValue, match="cannot be written"):
        snippet("msmtp", _account(smtp=Outgoing.model_construct(**smtp)), "2")


def test_himalaya_1_keeps_a_dollar_literal() -> None:
    """himalaya 1.x takes the address as it is: a $ stays in a TOML string, unexpanded."""
    text = snippet("himalaya", _account(email="x$HOME@example.com"), "1")
    [account] = tomllib.loads(text)["accounts"].values()
    assert account["backend"]["login"] == "x$HOME@example.com"


def _write_index(env: dict[str, str], **fields: object) -> None:
    """An account index holding ``fields`` as they are, as if edited by hand."""
    path = Path(env["XDG_DATA_HOME"]) / "imapkey" / "accounts.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    entry = _account(**fields).model_dump(mode="json")
    path.write_text(json.dumps({"version": 1, "accounts": [entry]}))


@pytest.mark.parametrize("client", CLIENTS)
@pytest.mark.parametrize(
    "case", ["backtick in the address", "backtick in the host", "newline in the CA file"]
)
def test_cli_refuses_hostile_index_entry(env: dict[str, str], client: str, case: str) -> None:
    """`imapkey snippet` on a tampered index prints nothing and writes no file."""
    _write_index(env, **HOSTILE[case])
    email = str(HOSTILE[case].get("email", "me@example.com"))
    for extra in ([], ["--write"]):
        out = run_cli(["snippet", email, "--client", client, *extra], env)
        assert out.returncode == 2, out.stderr
        assert out.stdout == ""
        # An address no check would accept is refused while the arguments are read.
        assert "cannot be written into a" in out.stderr or (
            "email" in HOSTILE[case] and "is not an email address" in out.stderr
        )
    written = [p for d in ("HOME", "XDG_CONFIG_HOME") for p in Path(env[d]).rglob("*")]
    assert [p for p in written if p.is_file()] == []


def test_comment_command_lines_are_shell_quoted() -> None:
    """The command lines shown in comments quote the address, so pasting them runs nothing."""
    email = "h>pwned;x|y&z(id)@example.com"
    for client in CLIENTS:
        text = snippet(client, _account(email=email, security="starttls"), "1")
        assert f"imapkey snippet {shlex.quote(email)} --client {client}" in text


def test_neomutt_and_aerc_send_through_the_saved_sending_server() -> None:
    """With a sending server saved, neomutt and aerc get it (smtps:// for SSL/TLS, smtp:// for
    STARTTLS) with the same password command as for reading; without one, nothing of it."""
    tls = _account(smtp=Outgoing(host="smtp.example.com", port=465, security="tls"))
    starttls = _account(smtp=Outgoing(host="smtp.example.com", port=587, security="starttls"))
    neomutt = snippet("neomutt", tls, "2")
    assert "set smtp_url = 'smtps://me%40example.com@smtp.example.com:465/'" in neomutt
    command = re.search(r'^set imap_pass = "(.*)"$', neomutt, re.M)
    assert command
    assert f'set smtp_pass = "{command.group(1)}"' in neomutt
    assert "smtp://me%40example.com@smtp.example.com:587/" in snippet("neomutt", starttls, "2")
    aerc = snippet("aerc", starttls, "2")
    assert "outgoing = smtp://me%40example.com@smtp.example.com:587" in aerc
    source = re.search(r"^source-cred-cmd = (.*)$", aerc, re.M)
    assert source
    assert f"outgoing-cred-cmd = {source.group(1)}" in aerc
    assert "smtp_url" not in snippet("neomutt", _account(smtp=None), "2")
    assert "outgoing" not in snippet("aerc", _account(smtp=None), "2")


@pytest.mark.service
def test_neomutt_reads_the_sending_settings(tmp_path: Path) -> None:
    """The real neomutt parses the file as written and reports the sending server back."""
    from support.mailclients import executable

    neomutt = executable("neomutt")
    account = _account(smtp=Outgoing(host="smtp.example.com", port=465, security="tls"))
    path = tmp_path / "neomuttrc"
    path.write_text(snippet("neomutt", account, "2").replace("`", "'"))  # no keyring here
    out = subprocess.run(
        [neomutt, "-n", "-F", str(path), "-Q", "smtp_url"],
        capture_output=True,
        text=True,
        check=False,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=30,
    )
    assert out.returncode == 0, out.stderr
    assert 'smtp_url = "smtps://me%40example.com@smtp.example.com:465/"' in out.stdout


def test_offlineimap_on_starttls_says_to_prefer_implicit_tls() -> None:
    """On STARTTLS the offlineimap file warns of its unverified certificate and of offlineimap
    8.0's STARTTLS race (seen in this repository's client tests), and points to port 993."""
    starttls = snippet("offlineimap", _account(port=143, security="starttls"))
    assert "does NOT verify the server's certificate" in starttls
    assert "races its own STARTTLS" in starttls
    assert "--security tls" in starttls
    tls = snippet("offlineimap", _account(port=993, security="tls"))
    assert "races its own STARTTLS" not in tls

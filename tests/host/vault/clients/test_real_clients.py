"""The real mail clients from Debian, run on `imapkey snippet --write` against a real Dovecot.

Each case saves an account with the real CLI (the check logs in for real), puts a message in
its INBOX, has imapkey write the client's own file, runs the client as a user would and
looks for the message: in the local maildir for the syncing clients, on screen (tmux) for
the others. The hostile address case also proves no shell command hidden in it ran.
"""

from __future__ import annotations

import shlex
import shutil
import signal
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import trustme

from support.certs import CertSet
from support.cli import run_cli
from support.dovecot import Dovecot
from support.mailclients import Tmux, executable, run, subjects
from support.services import require

pytestmark = pytest.mark.service

HOSTILE_PASSWORD = "p'a\"s$s`id`(w)o;r|d&<x>#%!{y}*?~ \\z"
# Passes validation (no quotes, backticks, blanks or controls) yet is full of shell syntax:
# wherever a snippet forgot to quote it, a shell would create the file "pwned" (Dovecot lowercases user names).
HOSTILE_EMAIL = "h$(id)>pwned;x|y&z#w%v!u{t}s@example.com"
USERS = {
    "client@example.com": "client-pw-1",
    "hostile-pw@example.com": HOSTILE_PASSWORD,
    HOSTILE_EMAIL: "hostile-address-pw",
}


# A CA file in a folder whose name is shell and config syntax (absolute, no controls: valid).
HOSTILE_CA_DIR = "private CA $(id)>pwned;x#y%z{w}&v|u"


@dataclass(frozen=True)
class Case:
    email: str
    security: str
    ca_dir: str = "ca"


CASES = {
    "tls": Case("client@example.com", "tls"),
    "starttls": Case("client@example.com", "starttls"),
    "hostile-password": Case("hostile-pw@example.com", "tls"),
    "hostile-address": Case(HOSTILE_EMAIL, "starttls"),
    "hostile-ca-path": Case("client@example.com", "tls", HOSTILE_CA_DIR),
}


@pytest.fixture(scope="module")
def certs(service_dir: Path, ca: trustme.CA) -> CertSet:
    """A server certificate with a common name: offlineimap's own host check requires one
    (as public CAs still issue them), on top of the subjectAltName everyone else reads."""
    folder = service_dir / "certs-clients"
    folder.mkdir(exist_ok=True)
    cert = ca.issue_cert("localhost", "127.0.0.1", common_name="localhost")
    ca_file, cert_file, key_file = folder / "ca.pem", folder / "s.crt", folder / "s.key"
    ca.cert_pem.write_to_path(str(ca_file))
    cert.private_key_pem.write_to_path(str(key_file))
    cert_file.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    return CertSet(ca_file, cert_file, key_file)


@pytest.fixture(scope="module")
def server(service_dir: Path, certs: CertSet) -> Iterator[Dovecot]:
    """A Dovecot of this module's own, with its accounts."""
    dovecot = Dovecot(service_dir / "dovecot-clients", certs, dict(USERS))
    dovecot.start(require("dovecot", "dovecot-imapd"))
    yield dovecot
    dovecot.stop()


@dataclass
class Saved:
    email: str
    subject: str
    env: dict[str, str]
    home: Path
    cwd: Path
    ca_file: Path


@pytest.fixture(params=list(CASES))
def saved(
    request: pytest.FixtureRequest,
    server: Dovecot,
    certs: CertSet,
    keyring_env: dict[str, str],
    tmp_path: Path,
) -> Iterator[Saved]:
    """An account saved with `imapkey save` (checked for real) and a new message in its INBOX."""
    case = CASES[request.param]
    port = server.imaps_port if case.security == "tls" else server.imap_port
    ca_file = tmp_path / case.ca_dir / "ca.pem"
    ca_file.parent.mkdir()
    shutil.copyfile(certs.ca_file, ca_file)
    saved = run_cli(
        [
            "save",
            case.email,
            "--host",
            "localhost",
            "--port",
            str(port),
            "--security",
            case.security,
            "--ca-file",
            str(ca_file),
            "--password-stdin",
        ],
        keyring_env,
        stdin=USERS[case.email] + "\n",
    )
    assert saved.returncode == 0, saved.stdout + saved.stderr
    subject = f"imapkey {request.param} {uuid.uuid4().hex[:8]}"
    server.deliver(case.email, subject)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    home = Path(keyring_env["HOME"])
    home.mkdir(parents=True, exist_ok=True)
    yield Saved(case.email, subject, keyring_env, home, cwd, ca_file)
    # Nothing hidden in the address ran, wherever a client happened to run it.
    assert not list(tmp_path.rglob("pwned")), "a command from the saved address was run"


def write_snippet(saved: Saved, client: str) -> Path:
    out = run_cli(["snippet", saved.email, "--client", client, "--write"], saved.env)
    assert out.returncode == 0, out.stderr
    path = Path(out.stdout.removeprefix("Wrote ").split(" (")[0])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    printed = run_cli(["snippet", saved.email, "--client", client], saved.env)
    assert path.read_text() == printed.stdout, "--write wrote something else than it prints"
    return path


def local_inbox(saved: Saved) -> list[str]:
    [account] = (saved.home / "Mail").iterdir()
    return subjects(account / "INBOX")


def test_mbsync_syncs_the_inbox(saved: Saved) -> None:
    """isync's mbsync, on ~/.mbsyncrc as written, copies the server's message to ~/Mail."""
    mbsync = executable("mbsync")
    write_snippet(saved, "mbsync")
    done = run([mbsync, "--all"], saved.env, saved.cwd)
    assert done.returncode == 0, done.stdout + done.stderr
    assert saved.subject in local_inbox(saved)


OFFLINEIMAP_RACE = "Failed to start TLS connection: command: CAPABILITY"


def test_offlineimap_syncs_the_inbox(saved: Saved) -> None:
    """offlineimap3, on ~/.offlineimaprc as written, copies the server's message to ~/Mail."""
    offlineimap = executable("offlineimap")
    write_snippet(saved, "offlineimap")
    # offlineimap 8.0's imaplib2 races its own STARTTLS: now and then it writes the CAPABILITY
    # that follows "OK Begin TLS" before its TLS handshake, so Dovecot (already in TLS) either
    # waits for a ClientHello (the run stalls) or answers with a TLS protocol-version alert
    # ("Failed to start TLS connection: command: CAPABILITY"). Seen about once in 10-15 runs,
    # with the same server replies as a passing run: the client's race, not the
    # configuration's. Such a run is tried again, up to three times in all.
    # A third face, seen under CI load: offlineimap dies of SIGSEGV right after "Establishing
    # connection" (its reader thread and the TLS wrap racing inside OpenSSL), printing nothing.
    # On a loaded machine it can strike every try; then the run says so (xfail, naming the
    # race) rather than pass, and any other failure still fails.
    done = None
    for _ in range(3):
        try:
            done = run([offlineimap, "-o", "-u", "basic"], saved.env, saved.cwd, timeout=20)
        except AssertionError:  # a stall
            continue
        crashed = done.returncode == -signal.SIGSEGV
        if not crashed and OFFLINEIMAP_RACE not in done.stdout + done.stderr:
            break
        done = None
    if done is None:
        pytest.xfail("offlineimap 8.0 (imaplib2) raced its STARTTLS on every try")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ERROR" not in done.stdout + done.stderr, done.stdout + done.stderr
    assert saved.subject in local_inbox(saved)


def test_neomutt_shows_the_inbox(saved: Saved) -> None:
    """neomutt, on its neomuttrc as written, opens the INBOX and lists the message."""
    neomutt = executable("neomutt")
    if saved.email == HOSTILE_EMAIL:
        # neomutt expands $name inside backticks, even in single quotes: refused, not run.
        out = run_cli(["snippet", saved.email, "--client", "neomutt"], saved.env)
        assert out.returncode != 0
        assert out.stdout == ""
        assert "cannot be written into a neomutt configuration safely" in out.stderr
        return
    write_snippet(saved, "neomutt")
    tmux = Tmux(saved.cwd, saved.env)
    tmux.start([neomutt], saved.cwd)
    try:
        tmux.wait_for(saved.subject)
    finally:
        tmux.stop()


def test_aerc_shows_the_inbox(saved: Saved) -> None:
    """aerc, on accounts.conf as written (mode 0600) with SSL_CERT_FILE as its comment says,
    opens the INBOX and lists the message."""
    aerc = executable("aerc")
    path = write_snippet(saved, "aerc")
    assert f"SSL_CERT_FILE={shlex.quote(str(saved.ca_file))} aerc" in path.read_text()
    env = dict(saved.env, SSL_CERT_FILE=str(saved.ca_file))
    tmux = Tmux(saved.cwd, env)
    tmux.start([aerc], saved.cwd)
    try:
        tmux.wait_for(saved.subject)
    finally:
        tmux.stop()

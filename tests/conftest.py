"""Shared fixtures: private environments, the real host, a test CA and real Dovecot servers."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from support.certs import CertSet, issue
from support.dovecot import ACCOUNTS, Dovecot
from support.hostproc import HostProcess, chromium_args, host_env
from support.secret_service import SecretService
from support.services import require
from support.smtpsink import SmtpSink


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Environment with private XDG folders and HOME."""
    return host_env(tmp_path)


@pytest.fixture
def host(env: dict[str, str]) -> Iterator[HostProcess]:
    """A real imapkey-host spawned the way Chromium spawns it."""
    proc = HostProcess(chromium_args(), env)
    yield proc
    if proc.proc.poll() is None:
        proc.proc.kill()
        proc.proc.wait()


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def service_dir() -> Iterator[Path]:
    """A folder Dovecot's unprivileged processes can read (pytest's tmp folders are 0700)."""
    path = Path(tempfile.mkdtemp(prefix="imapkey-services-"))
    os.chmod(path, 0o755)
    yield path
    shutil.rmtree(path, ignore_errors=True)


def _dovecot(service_dir: Path, name: str, certs: CertSet) -> Iterator[Dovecot]:
    server = Dovecot(service_dir / name, certs, dict(ACCOUNTS))
    server.start(require("dovecot", "dovecot-imapd"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def good_certs(service_dir: Path, ca: trustme.CA) -> CertSet:
    return issue(service_dir / "certs-good", "server", ca)


@pytest.fixture(scope="session")
def dovecot(service_dir: Path, good_certs: CertSet) -> Iterator[Dovecot]:
    yield from _dovecot(service_dir, "dovecot", good_certs)


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    """Where Dovecot's submission service relays the mail it accepts."""
    sink = SmtpSink()
    yield sink
    sink.close()


@pytest.fixture(scope="session")
def submission(service_dir: Path, good_certs: CertSet, smtp_sink: SmtpSink) -> Iterator[Dovecot]:
    """Dovecot with its SMTP submission service (STARTTLS and implicit-TLS ports)."""
    require("/usr/lib/dovecot/submission", "dovecot-submissiond")
    server = Dovecot(
        service_dir / "dovecot-submission", good_certs, dict(ACCOUNTS), relay_port=smtp_sink.port
    )
    server.start(require("dovecot", "dovecot-imapd"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def dovecot_expired(service_dir: Path, ca: trustme.CA) -> Iterator[Dovecot]:
    certs = issue(service_dir / "certs-expired", "server", ca, expired=True)
    yield from _dovecot(service_dir, "dovecot-expired", certs)


@pytest.fixture(scope="session")
def dovecot_wrong_host(service_dir: Path, ca: trustme.CA) -> Iterator[Dovecot]:
    certs = issue(service_dir / "certs-wrong", "server", ca, hosts=("mail.example.net",))
    yield from _dovecot(service_dir, "dovecot-wrong-host", certs)


@pytest.fixture(scope="session")
def secret_service(service_dir: Path) -> Iterator[SecretService]:
    """gnome-keyring on a private session bus, unlocked."""
    service = SecretService(service_dir / "secret-service")
    service.start()
    yield service
    service.stop()


@pytest.fixture
def keyring_env(
    secret_service: SecretService, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """This process and the env for subprocesses both use the private keyring and XDG folders."""
    import keyring.core

    env["DBUS_SESSION_BUS_ADDRESS"] = secret_service.env["DBUS_SESSION_BUS_ADDRESS"]
    env.pop("PYTHON_KEYRING_BACKEND", None)
    for name in (
        "DBUS_SESSION_BUS_ADDRESS",
        "XDG_STATE_HOME",
        "XDG_DATA_HOME",
        "XDG_CONFIG_HOME",
        "XDG_CACHE_HOME",
    ):
        monkeypatch.setenv(name, env[name])
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    keyring.core.init_backend()
    return env

"""imapkey doctor names the cause of each broken install, with its fix."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from support.cli import run_cli

FIREFOX_DIR = ".mozilla/native-messaging-hosts"


@pytest.fixture
def home_env(keyring_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """A private HOME in which Firefox has run (its profile folder exists)."""
    home = tmp_path / "doctor-home"
    (home / ".mozilla/firefox").mkdir(parents=True)
    return dict(keyring_env, HOME=str(home))


def _firefox(env: dict[str, str]) -> dict[str, object]:
    out = run_cli(["doctor", "--json"], env)
    report = json.loads(out.stdout)
    [firefox] = [b for b in report["browsers"] if b["browser"] == "firefox"]
    firefox["status"] = out.returncode
    firefox["keyring"] = report["keyring"]
    return firefox


def _manifest(env: dict[str, str]) -> Path:
    return Path(env["HOME"]) / FIREFOX_DIR / "org.imapkey.host.json"


def test_good_install(home_env: dict[str, str]) -> None:
    """After install, doctor finds the manifest, the right host and ids, a hello, a keyring."""
    assert run_cli(["install", "--browser", "firefox"], home_env).returncode == 0
    firefox = _firefox(home_env)
    assert firefox["reachable"] is True
    assert any("answers hello" in f["what"] for f in firefox["findings"])  # type: ignore[attr-defined]
    assert firefox["keyring"]["ok"] is True  # type: ignore[index]
    human = run_cli(["doctor"], home_env)
    assert "Firefox: can reach the host" in human.stdout


def test_missing_manifest(home_env: dict[str, str]) -> None:
    """A browser with no manifest is told to run install."""
    firefox = _firefox(home_env)
    assert firefox["reachable"] is False
    [finding] = firefox["findings"]  # type: ignore[misc]
    assert "no manifest" in finding["what"]
    assert finding["fix"] == "Run: imapkey install --browser firefox"


def _break(env: dict[str, str], **changes: object) -> None:
    assert run_cli(["install", "--browser", "firefox"], env).returncode == 0
    path = _manifest(env)
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data))


def test_stale_path(home_env: dict[str, str]) -> None:
    """A path to a host that moved away is named, with reinstall as the fix."""
    _break(home_env, path="/opt/old-imapkey/bin/imapkey-host")
    firefox = _firefox(home_env)
    assert firefox["status"] == 1
    bad = [f for f in firefox["findings"] if not f["ok"]]  # type: ignore[attr-defined]
    assert "does not exist" in bad[0]["what"]
    assert "imapkey install --browser firefox" in bad[0]["fix"]


def test_wrong_id(home_env: dict[str, str]) -> None:
    """A manifest allowing another extension is named."""
    _break(home_env, allowed_extensions=["someone-else@example.com"])
    firefox = _firefox(home_env)
    assert firefox["status"] == 1
    bad = [f for f in firefox["findings"] if not f["ok"]]  # type: ignore[attr-defined]
    assert "does not include imapkey@imapkey.org" in bad[0]["what"]


def test_non_executable_path(home_env: dict[str, str], tmp_path: Path) -> None:
    """A host file that is not executable is named, with chmod as the fix."""
    fake = tmp_path / "imapkey-host"
    fake.write_text("#!/bin/sh\n")
    os.chmod(fake, 0o644)
    _break(home_env, path=str(fake))
    bad = [f for f in _firefox(home_env)["findings"] if not f["ok"]]  # type: ignore[attr-defined]
    assert "not executable" in bad[0]["what"]
    assert "chmod +x" in bad[0]["fix"]


def test_host_that_is_not_imapkey(home_env: dict[str, str], tmp_path: Path) -> None:
    """An executable that is not this imapkey-host (another version) is named."""
    fake = tmp_path / "imapkey-host"
    fake.write_text("#!/bin/sh\necho imapkey-host 0.0.1\n")
    os.chmod(fake, 0o755)
    _break(home_env, path=str(fake))
    bad = [f for f in _firefox(home_env)["findings"] if not f["ok"]]  # type: ignore[attr-defined]
    assert "version 0.0.1" in bad[0]["what"]


def test_unusable_keyring_is_reported(home_env: dict[str, str]) -> None:
    """With no keyring, doctor says so and what to install, and exits non-zero."""
    assert run_cli(["install", "--browser", "firefox"], home_env).returncode == 0
    env = dict(home_env, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    firefox = _firefox(env)
    assert firefox["reachable"] is True
    assert firefox["status"] == 1
    assert firefox["keyring"]["ok"] is False  # type: ignore[index]
    assert "gnome-keyring" in firefox["keyring"]["fix"]  # type: ignore[index]

"""imapkey doctor names the cause of each broken install, with its fix."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest

from imapkey.install import doctor, hostpath, installer
from imapkey.install.browsers import BY_ID
from support.cli import run_cli
from support.hostproc import HOST_EXE

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


class MemoryRegistry:
    """HKCU as a dictionary: the installer's and doctor's registry seam."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def set_default(self, key: str, value: str) -> None:
        self.keys[key] = value

    def get_default(self, key: str) -> str | None:
        return self.keys.get(key)

    def delete(self, key: str) -> None:
        self.keys.pop(key, None)


def _windows_home(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    local = tmp_path / "Local"
    (local / "BraveSoftware/Brave-Browser/User Data").mkdir(parents=True)
    return tmp_path / "home", {"LOCALAPPDATA": str(local)}


def test_windows_doctor_follows_the_registry(
    tmp_path: Path, keyring_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows doctor reads each browser's own HKCU key, checks the manifest it names and
    starts the host from it; a browser with no key is told to install."""
    for name, value in keyring_env.items():
        monkeypatch.setenv(name, value)
    home, env = _windows_home(tmp_path)
    registry = MemoryRegistry()
    [brave] = installer.plan([BY_ID["brave"]], "win32", home, str(HOST_EXE), env=env)
    manifest = tmp_path / "brave" / "org.imapkey.host.json"
    installer.apply([dataclasses.replace(brave, manifest_path=manifest)], registry)
    assert list(registry.keys) == [
        r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\org.imapkey.host"
    ]
    reports, _ = doctor.diagnose("win32", home, env=env, registry=registry)
    [report] = reports
    assert report.browser.id == "brave"
    assert report.reachable, report.findings
    assert any("answers hello" in f.what for f in report.findings)
    registry.keys.clear()
    [report] = doctor.diagnose("win32", home, env=env, registry=registry)[0]
    assert not report.reachable
    assert report.findings[0].what.startswith(r"no registry key HKCU\Software\BraveSoftware")
    assert report.findings[0].fix == "Run: imapkey install --browser brave"


def test_windows_doctor_explains_the_microsoft_store_python(
    tmp_path: Path, keyring_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the Store's Python, doctor says why browsers cannot see what it wrote and what to
    install instead."""
    for name, value in keyring_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(hostpath, "ms_store_python", lambda: True)
    home, env = _windows_home(tmp_path)
    registry = MemoryRegistry()
    registry.set_default(
        r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\org.imapkey.host",
        str(tmp_path / "missing.json"),
    )
    [report] = doctor.diagnose("win32", home, env=env, registry=registry)[0]
    store = [f for f in report.findings if "Microsoft Store" in f.what]
    assert store
    assert "python.org" in store[0].fix


def test_microsoft_store_python_is_recognised() -> None:
    """The Store's Python is told apart by its package name, in the executable or the prefix."""
    store = r"C:\Program Files\WindowsApps\PythonSoftwareFoundation.Python.3.11_3.11.2544.0_x64__qbz5n2kfra8p0"
    assert hostpath.ms_store_python(r"C:\venv\Scripts\python.exe", store)
    assert not hostpath.ms_store_python(
        r"C:\Python311\python.exe", r"C:\Users\u\AppData\Local\Programs\Python\Python311"
    )


def test_snap_chromium_is_reported_as_impossible(
    tmp_path: Path, keyring_env: dict[str, str]
) -> None:
    """Snap Chromium is not reported as reachable: doctor says it never can be and what to use."""
    (tmp_path / "snap/chromium").mkdir(parents=True)
    home = tmp_path / "home"
    home.mkdir()
    reports, _ = doctor.diagnose("linux", home, root=tmp_path, browsers=[BY_ID["chromium-snap"]])
    [report] = reports
    assert not report.reachable
    assert "cannot start native messaging hosts" in report.findings[0].what
    assert "Flatpak org.chromium.Chromium" in report.findings[0].fix
    assert not report.broken  # nothing imapkey wrote is wrong; exit status is decided elsewhere


def test_snap_firefox_explains_the_portal_prompt(home_env: dict[str, str], tmp_path: Path) -> None:
    """Snap Firefox gets the usual checks and the one-time portal prompt explained."""
    assert run_cli(["install", "--browser", "firefox"], home_env).returncode == 0
    (tmp_path / "snap/firefox").mkdir(parents=True)
    reports, _ = doctor.diagnose(
        "linux", Path(home_env["HOME"]), root=tmp_path, browsers=[BY_ID["firefox-snap"]]
    )
    [report] = reports
    assert report.reachable, report.findings
    assert "WebExtensions portal" in report.findings[-1].what


def test_snap_firefox_is_not_reported_without_the_snap(
    home_env: dict[str, str], tmp_path: Path
) -> None:
    """Firefox's manifest alone does not make doctor report a Snap Firefox that is not there."""
    assert run_cli(["install", "--browser", "firefox"], home_env).returncode == 0
    reports, _ = doctor.diagnose(
        "linux", Path(home_env["HOME"]), root=tmp_path, browsers=[BY_ID["firefox-snap"]]
    )
    assert reports == []

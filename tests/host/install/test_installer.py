"""Installing the host for every browser on Linux, macOS and Windows, and taking it away."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from imapkey.identity import identity
from imapkey.install import installer
from imapkey.install.browsers import BROWSERS, BY_ID
from support.hostproc import frame

HOST = "/opt/imapkey/bin/imapkey-host"
CLI = Path(sys.executable).with_name("imapkey")

GOLDEN_PATHS = {
    ("chrome", "linux"): "~/.config/google-chrome/NativeMessagingHosts",
    ("chromium", "linux"): "~/.config/chromium/NativeMessagingHosts",
    ("edge", "linux"): "~/.config/microsoft-edge/NativeMessagingHosts",
    ("brave", "linux"): "~/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    ("vivaldi", "linux"): "~/.config/vivaldi/NativeMessagingHosts",
    ("firefox", "linux"): "~/.mozilla/native-messaging-hosts",
    (
        "chrome-flatpak",
        "linux",
    ): "~/.var/app/com.google.Chrome/config/google-chrome/NativeMessagingHosts",
    (
        "chromium-flatpak",
        "linux",
    ): "~/.var/app/org.chromium.Chromium/config/chromium/NativeMessagingHosts",
    ("firefox-flatpak", "linux"): "~/.var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts",
    ("chrome", "darwin"): "~/Library/Application Support/Google/Chrome/NativeMessagingHosts",
    ("chromium", "darwin"): "~/Library/Application Support/Chromium/NativeMessagingHosts",
    ("edge", "darwin"): "~/Library/Application Support/Microsoft Edge/NativeMessagingHosts",
    (
        "brave",
        "darwin",
    ): "~/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    ("vivaldi", "darwin"): "~/Library/Application Support/Vivaldi/NativeMessagingHosts",
    ("firefox", "darwin"): "~/Library/Application Support/Mozilla/NativeMessagingHosts",
}
GOLDEN_KEYS = {
    "chrome": r"Software\Google\Chrome\NativeMessagingHosts\org.imapkey.host",
    "chromium": r"Software\Chromium\NativeMessagingHosts\org.imapkey.host",
    "edge": r"Software\Microsoft\Edge\NativeMessagingHosts\org.imapkey.host",
    "brave": r"Software\Google\Chrome\NativeMessagingHosts\org.imapkey.host",
    "vivaldi": r"Software\Google\Chrome\NativeMessagingHosts\org.imapkey.host",
    "firefox": r"Software\Mozilla\NativeMessagingHosts\org.imapkey.host",
}


def golden_manifest(family: str, path: str) -> dict[str, object]:
    ids = identity()
    manifest: dict[str, object] = {
        "name": "org.imapkey.host",
        "description": "imapkey: checks IMAP app passwords and keeps them in the system keyring",
        "path": path,
        "type": "stdio",
    }
    if family == "chromium":
        manifest["allowed_origins"] = [f"chrome-extension://{ids.chromium_id}/"]
    else:
        manifest["allowed_extensions"] = ["imapkey@imapkey.org"]
    return manifest


@pytest.mark.parametrize(("browser_id", "platform"), list(GOLDEN_PATHS))
def test_golden_paths_and_manifests_posix(browser_id: str, platform: str) -> None:
    """Each browser's manifest goes where that browser looks, with only its family's allow-list."""
    home = PurePosixPath("/home/u")
    [target] = installer.plan([BY_ID[browser_id]], platform, home, HOST)  # type: ignore[arg-type]
    expected_dir = GOLDEN_PATHS[(browser_id, platform)].replace("~", str(home))
    assert str(target.manifest_path) == f"{expected_dir}/org.imapkey.host.json"
    exe = str(target.wrapper_path) if target.wrapper_path else HOST
    assert json.loads(target.manifest) == golden_manifest(target.family, exe)


@pytest.mark.parametrize("browser_id", list(GOLDEN_KEYS))
def test_golden_windows_registry_keys(browser_id: str) -> None:
    """On Windows each browser's HKCU key points at a manifest under the user's profile."""
    home = PureWindowsPath(r"C:\Users\u")
    exe = r"C:\Users\u\imapkey\Scripts\imapkey-host.exe"
    [target] = installer.plan([BY_ID[browser_id]], "win32", home, exe)
    assert target.registry_key == GOLDEN_KEYS[browser_id]
    assert str(target.manifest_path) == (
        rf"C:\Users\u\AppData\Local\imapkey\NativeMessagingHosts\{browser_id}\org.imapkey.host.json"
    )
    assert json.loads(target.manifest) == golden_manifest(target.family, exe)


def test_flatpak_browsers_are_linux_only() -> None:
    """Flatpak variants have no macOS or Windows folder; asking for one is a clear error."""
    with pytest.raises(ValueError, match="Flatpak"):
        installer.plan([BY_ID["firefox-flatpak"]], "darwin", PurePosixPath("/Users/u"), HOST)


def test_system_folders() -> None:
    """--system uses the system-wide folders; Brave has none and says so."""
    [chrome, firefox] = installer.plan(
        [BY_ID["chrome"], BY_ID["firefox"]], "linux", PurePosixPath("/home/u"), HOST, system=True
    )
    assert (
        str(chrome.manifest_path) == "/etc/opt/chrome/native-messaging-hosts/org.imapkey.host.json"
    )
    assert str(firefox.manifest_path) == (
        "/usr/lib/mozilla/native-messaging-hosts/org.imapkey.host.json"
    )
    with pytest.raises(ValueError, match="system-wide"):
        installer.plan([BY_ID["brave"]], "linux", PurePosixPath("/home/u"), HOST, system=True)


class MemoryRegistry:
    def __init__(self) -> None:
        self.keys: dict[str, str] = {}

    def set_default(self, key: str, value: str) -> None:
        self.keys[key] = value

    def get_default(self, key: str) -> str | None:
        return self.keys.get(key)

    def delete(self, key: str) -> None:
        self.keys.pop(key, None)


def test_windows_install_and_uninstall_through_the_registry_seam(tmp_path: Path) -> None:
    """apply writes the manifests and keys; remove takes both away and leaves nothing."""
    registry = MemoryRegistry()
    browsers = [BY_ID[b] for b in GOLDEN_KEYS]
    planned = installer.plan(browsers, "win32", PureWindowsPath(r"C:\Users\u"), HOST)
    # The same plan, with its files placed in this (POSIX) test folder.
    targets = [
        dataclasses.replace(t, manifest_path=tmp_path / t.browser.id / "org.imapkey.host.json")
        for t in planned
    ]
    installer.apply(targets, registry)
    assert set(registry.keys) == set(GOLDEN_KEYS.values())
    for target in targets:
        assert Path(target.manifest_path).exists()
    installer.remove(targets, registry)
    assert registry.keys == {}
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_install_then_uninstall_every_browser_in_a_temporary_home(tmp_path: Path) -> None:
    """All browsers and Flatpak variants installed into a HOME, then removed: nothing is left."""
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), XDG_STATE_HOME=str(tmp_path / "state"))
    names = [arg for b in BROWSERS for arg in ("--browser", b.id)]
    out = subprocess.run(
        [str(CLI), "install", *names], capture_output=True, text=True, env=env, check=True
    )
    assert "Load unpacked" in out.stdout
    assert identity().chromium_id in out.stdout
    files = sorted(p for p in home.rglob("*") if p.is_file())
    assert len([f for f in files if f.name == "org.imapkey.host.json"]) == len(BROWSERS)
    wrapper = home / ".var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts"
    assert os.access(wrapper / "imapkey-host-flatpak.sh", os.X_OK)
    for path in files:
        if path.suffix == ".json":
            data = json.loads(path.read_text())
            assert Path(data["path"]).is_absolute()
    subprocess.run(
        [str(CLI), "uninstall", *names], capture_output=True, text=True, env=env, check=True
    )
    assert [p for p in home.rglob("*") if p.is_file()] == []


def test_print_changes_nothing(tmp_path: Path) -> None:
    """--print shows the manifest and its place, and writes nothing."""
    env = dict(os.environ, HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"))
    out = subprocess.run(
        [str(CLI), "install", "--browser", "firefox", "--print"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "would write" in out.stdout
    assert "allowed_extensions" in out.stdout
    assert not (tmp_path / ".mozilla").exists()


def test_installed_manifest_spawns_a_host_that_answers_hello(tmp_path: Path) -> None:
    """The host named by an installed manifest, started as Chromium starts it, answers hello."""
    env = dict(os.environ, HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path / "state"))
    subprocess.run(
        [str(CLI), "install", "--dir", str(tmp_path / "udd" / "NativeMessagingHosts")],
        check=True,
        env=env,
        capture_output=True,
    )
    manifest = json.loads((tmp_path / "udd/NativeMessagingHosts/org.imapkey.host.json").read_text())
    [origin] = manifest["allowed_origins"]
    proc = subprocess.run(
        [manifest["path"], origin],
        input=frame({"v": 1, "id": "1", "type": "hello"}),
        capture_output=True,
        env=env,
        check=True,
        timeout=20,
    )
    assert json.loads(proc.stdout[4:])["ok"] is True

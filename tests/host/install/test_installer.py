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
from imapkey.install.browsers import BROWSERS, BY_ID, manifest_dir, supports
from support.cli import run_cli
from support.hostproc import HostProcess, frame, host_env

HOST = "/opt/imapkey/bin/imapkey-host"
CLI = Path(sys.executable).with_name("imapkey")

GOLDEN_PATHS = {
    ("chrome", "linux"): "~/.config/google-chrome/NativeMessagingHosts",
    ("chrome-beta", "linux"): "~/.config/google-chrome-beta/NativeMessagingHosts",
    ("chrome-dev", "linux"): "~/.config/google-chrome-unstable/NativeMessagingHosts",
    ("chrome-canary", "linux"): "~/.config/google-chrome-canary/NativeMessagingHosts",
    ("edge-beta", "linux"): "~/.config/microsoft-edge-beta/NativeMessagingHosts",
    ("edge-dev", "linux"): "~/.config/microsoft-edge-dev/NativeMessagingHosts",
    ("firefox-snap", "linux"): "~/.mozilla/native-messaging-hosts",
    (
        "edge-flatpak",
        "linux",
    ): "~/.var/app/com.microsoft.Edge/config/microsoft-edge/NativeMessagingHosts",
    (
        "brave-flatpak",
        "linux",
    ): "~/.var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    (
        "chrome-beta",
        "darwin",
    ): "~/Library/Application Support/Google/Chrome Beta/NativeMessagingHosts",
    (
        "chrome-dev",
        "darwin",
    ): "~/Library/Application Support/Google/Chrome Dev/NativeMessagingHosts",
    (
        "chrome-canary",
        "darwin",
    ): "~/Library/Application Support/Google/Chrome Canary/NativeMessagingHosts",
    ("arc", "darwin"): "~/Library/Application Support/Arc/User Data/NativeMessagingHosts",
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
    "brave": r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\org.imapkey.host",
    "vivaldi": r"Software\Vivaldi\NativeMessagingHosts\org.imapkey.host",
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
        manifest["allowed_origins"] = [f"chrome-extension://{i}/" for i in ids.chromium_ids]
    else:
        manifest["allowed_extensions"] = list(ids.gecko_ids)
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
    """On Windows each browser has its own HKCU key, pointing at its own manifest under
    %LOCALAPPDATA% as the environment gives it (profiles can be moved off the home drive)."""
    home = PureWindowsPath(r"C:\Users\u")
    exe = r"C:\Users\u\imapkey\Scripts\imapkey-host.exe"
    env = {"LOCALAPPDATA": r"D:\Profiles\u\Local"}
    [target] = installer.plan([BY_ID[browser_id]], "win32", home, exe, env=env)
    assert target.registry_key == GOLDEN_KEYS[browser_id]
    assert str(target.manifest_path) == (
        rf"D:\Profiles\u\Local\imapkey\NativeMessagingHosts\{browser_id}\org.imapkey.host.json"
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
    env = {
        k: v for k, v in os.environ.items() if k not in ("XDG_CONFIG_HOME", "CHROME_CONFIG_HOME")
    }
    env.update(HOME=str(home), XDG_STATE_HOME=str(tmp_path / "state"))
    linux = [b for b in BROWSERS if supports(b, "linux")]
    names = [arg for b in linux for arg in ("--browser", b.id)]
    out = subprocess.run(
        [str(CLI), "install", *names], capture_output=True, text=True, env=env, check=True
    )
    assert "Load unpacked" in out.stdout
    assert identity().chromium_id in out.stdout
    files = sorted(p for p in home.rglob("*") if p.is_file())
    folders = {str(manifest_dir(b, "linux", home)) for b in linux}  # Snap Firefox shares one
    assert len([f for f in files if f.name == "org.imapkey.host.json"]) == len(folders)
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


def test_dir_install_never_writes_through_a_planted_symlink(tmp_path: Path) -> None:
    """Symlinks planted at the old fixed temporary name and at the manifest's own name are
    replaced, never followed: the file they point at stays untouched."""
    folder = tmp_path / "udd" / "NativeMessagingHosts"
    folder.mkdir(parents=True)
    victim = tmp_path / "victim"
    victim.write_text("precious")
    (folder / ".org.imapkey.host.json.tmp").symlink_to(victim)
    (folder / "org.imapkey.host.json").symlink_to(victim)
    env = host_env(tmp_path)
    out = run_cli(["install", "--dir", str(folder)], env)
    assert out.returncode == 0, out.stderr
    assert victim.read_text() == "precious"
    manifest = folder / "org.imapkey.host.json"
    assert not manifest.is_symlink()
    assert json.loads(manifest.read_text())["name"] == "org.imapkey.host"
    assert oct(manifest.stat().st_mode & 0o777) == "0o644"
    leftovers = {p.name for p in folder.iterdir()} - {
        "org.imapkey.host.json",
        ".org.imapkey.host.json.tmp",
    }
    assert leftovers == set()


def test_extension_id_is_remembered_and_served(tmp_path: Path) -> None:
    """--extension-id goes into the manifests and the user's config, and the host then serves
    that id with no environment variable; other ids stay refused."""
    env = host_env(tmp_path)
    env.pop("IMAPKEY_EXTRA_EXTENSION_IDS", None)
    folder = tmp_path / "udd" / "NativeMessagingHosts"
    side = "b" * 32
    out = run_cli(
        ["install", "--dir", str(folder), "--extension-id", f"chrome-extension://{side}/"], env
    )
    assert out.returncode == 0, out.stderr
    config = json.loads((Path(env["XDG_CONFIG_HOME"]) / "imapkey" / "config.json").read_text())
    assert config["extension_ids"] == [side]
    manifest = json.loads((folder / "org.imapkey.host.json").read_text())
    assert manifest["allowed_origins"][0] == identity().chromium_origin
    assert f"chrome-extension://{side}/" in manifest["allowed_origins"]
    served = HostProcess([f"chrome-extension://{side}/"], env)
    assert served.request({"v": 1, "id": "1", "type": "hello"})["ok"] is True
    served.close()
    refused = HostProcess([f"chrome-extension://{'c' * 32}/"], env)
    reply = refused.recv()
    assert reply is not None
    assert reply["error"]["code"] == "origin_denied"
    refused.close()
    # A Firefox id lands in Firefox's manifest; ids already remembered stay.
    out = run_cli(["install", "--browser", "firefox", "--extension-id", "dev@example.org"], env)
    assert out.returncode == 0, out.stderr
    firefox = Path(env["HOME"]) / ".mozilla/native-messaging-hosts/org.imapkey.host.json"
    allowed = json.loads(firefox.read_text())["allowed_extensions"]
    assert allowed == ["imapkey@imapkey.org", "dev@example.org"]
    config = json.loads((Path(env["XDG_CONFIG_HOME"]) / "imapkey" / "config.json").read_text())
    assert config["extension_ids"] == [side, "dev@example.org"]


def test_extension_id_is_checked_and_print_remembers_nothing(tmp_path: Path) -> None:
    """A malformed id is refused with what an id looks like; --print shows the id in the
    manifest but writes no config."""
    env = host_env(tmp_path)
    bad = run_cli(["install", "--print", "--extension-id", "not an id"], env)
    assert bad.returncode == 2
    assert "32 letters a-p" in bad.stderr
    shown = run_cli(["install", "--browser", "chrome", "--print", "--extension-id", "d" * 32], env)
    assert shown.returncode == 0, shown.stderr
    assert f"chrome-extension://{'d' * 32}/" in shown.stdout
    assert not (Path(env["XDG_CONFIG_HOME"]) / "imapkey").exists()


def test_blocked_browser_is_refused_by_name() -> None:
    """Snap Chromium cannot be registered: the plan says why instead of writing a manifest."""
    with pytest.raises(ValueError, match="Snap cannot start native messaging hosts"):
        installer.plan([BY_ID["chromium-snap"]], "linux", PurePosixPath("/home/u"), HOST)


def test_flatpak_install_warns_what_the_permission_allows(tmp_path: Path) -> None:
    """Where the user is told to grant Flatpak's talk-name, they are told it allows any command,
    and the wrapper itself says so too."""
    env = host_env(tmp_path)
    out = run_cli(["install", "--browser", "edge-flatpak"], env)
    assert out.returncode == 0, out.stderr
    assert "--talk-name=org.freedesktop.Flatpak com.microsoft.Edge" in out.stdout
    assert "run ANY command on this computer outside its sandbox" in out.stdout
    wrapper = (
        Path(env["HOME"])
        / ".var/app/com.microsoft.Edge/config/microsoft-edge/NativeMessagingHosts"
        / "imapkey-host-flatpak.sh"
    )
    assert "run ANY command" in wrapper.read_text()


def test_extension_id_does_not_go_with_system(tmp_path: Path) -> None:
    """System-wide manifests cannot carry a user's own id: the host runs as each user."""
    out = run_cli(
        ["install", "--system", "--print", "--extension-id", "d" * 32], host_env(tmp_path)
    )
    assert out.returncode == 2
    assert "each user" in out.stderr

"""Where each browser looks for native messaging hosts, on Linux, macOS and Windows.

Facts from ../shared/reference/native-messaging.md. Paths are computed for a given platform
and home folder, so every operating system's layout can be tested on any machine.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Literal

Family = Literal["chromium", "firefox"]
Platform = Literal["linux", "darwin", "win32"]

_MAC = "Library/Application Support"


@dataclass(frozen=True)
class Browser:
    id: str
    name: str
    family: Family
    linux: str | None  # per-user folder, relative to HOME
    mac: str | None
    windows_key: str | None  # HKCU key holding one subkey per host
    linux_system: str | None = None
    mac_system: str | None = None
    executables: tuple[str, ...] = ()
    profile: str | None = None  # a folder that exists once the browser has run (Linux)
    flatpak_id: str | None = None
    mac_app: str | None = None
    windows_profile: str | None = None  # relative to the user's profile folder

    @property
    def is_flatpak(self) -> bool:
        return self.flatpak_id is not None


BROWSERS: tuple[Browser, ...] = (
    Browser(
        "chrome",
        "Google Chrome",
        "chromium",
        ".config/google-chrome/NativeMessagingHosts",
        f"{_MAC}/Google/Chrome/NativeMessagingHosts",
        r"Software\Google\Chrome\NativeMessagingHosts",
        linux_system="/etc/opt/chrome/native-messaging-hosts",
        mac_system="/Library/Google/Chrome/NativeMessagingHosts",
        executables=("google-chrome", "google-chrome-stable", "google-chrome-beta"),
        profile=".config/google-chrome",
        mac_app="/Applications/Google Chrome.app",
        windows_profile="AppData/Local/Google/Chrome",
    ),
    Browser(
        "chromium",
        "Chromium",
        "chromium",
        ".config/chromium/NativeMessagingHosts",
        f"{_MAC}/Chromium/NativeMessagingHosts",
        r"Software\Chromium\NativeMessagingHosts",
        linux_system="/etc/chromium/native-messaging-hosts",
        mac_system="/Library/Application Support/Chromium/NativeMessagingHosts",
        executables=("chromium", "chromium-browser"),
        profile=".config/chromium",
        mac_app="/Applications/Chromium.app",
        windows_profile="AppData/Local/Chromium",
    ),
    Browser(
        "edge",
        "Microsoft Edge",
        "chromium",
        ".config/microsoft-edge/NativeMessagingHosts",
        f"{_MAC}/Microsoft Edge/NativeMessagingHosts",
        r"Software\Microsoft\Edge\NativeMessagingHosts",
        linux_system="/etc/opt/edge/native-messaging-hosts",
        mac_system="/Library/Microsoft/Edge/NativeMessagingHosts",
        executables=("microsoft-edge", "microsoft-edge-stable"),
        profile=".config/microsoft-edge",
        mac_app="/Applications/Microsoft Edge.app",
        windows_profile="AppData/Local/Microsoft/Edge",
    ),
    Browser(
        "brave",
        "Brave",
        "chromium",
        ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
        f"{_MAC}/BraveSoftware/Brave-Browser/NativeMessagingHosts",
        r"Software\Google\Chrome\NativeMessagingHosts",  # Brave reads Chrome's key
        executables=("brave-browser", "brave"),
        profile=".config/BraveSoftware/Brave-Browser",
        mac_app="/Applications/Brave Browser.app",
        windows_profile="AppData/Local/BraveSoftware/Brave-Browser",
    ),
    Browser(
        "vivaldi",
        "Vivaldi",
        "chromium",
        ".config/vivaldi/NativeMessagingHosts",
        f"{_MAC}/Vivaldi/NativeMessagingHosts",
        r"Software\Google\Chrome\NativeMessagingHosts",  # Vivaldi reads Chrome's key
        executables=("vivaldi", "vivaldi-stable"),
        profile=".config/vivaldi",
        mac_app="/Applications/Vivaldi.app",
        windows_profile="AppData/Local/Vivaldi",
    ),
    Browser(
        "firefox",
        "Firefox",
        "firefox",
        ".mozilla/native-messaging-hosts",
        f"{_MAC}/Mozilla/NativeMessagingHosts",
        r"Software\Mozilla\NativeMessagingHosts",
        linux_system="/usr/lib/mozilla/native-messaging-hosts",
        mac_system="/Library/Application Support/Mozilla/NativeMessagingHosts",
        executables=("firefox", "firefox-esr"),
        profile=".mozilla/firefox",
        mac_app="/Applications/Firefox.app",
        windows_profile="AppData/Roaming/Mozilla/Firefox",
    ),
    Browser(
        "chrome-flatpak",
        "Google Chrome (Flatpak)",
        "chromium",
        ".var/app/com.google.Chrome/config/google-chrome/NativeMessagingHosts",
        None,
        None,
        flatpak_id="com.google.Chrome",
    ),
    Browser(
        "chromium-flatpak",
        "Chromium (Flatpak)",
        "chromium",
        ".var/app/org.chromium.Chromium/config/chromium/NativeMessagingHosts",
        None,
        None,
        flatpak_id="org.chromium.Chromium",
    ),
    Browser(
        "firefox-flatpak",
        "Firefox (Flatpak)",
        "firefox",
        ".var/app/org.mozilla.firefox/.mozilla/native-messaging-hosts",
        None,
        None,
        flatpak_id="org.mozilla.firefox",
    ),
)

BY_ID = {b.id: b for b in BROWSERS}


def supports(browser: Browser, platform: Platform, system: bool = False) -> bool:
    if platform == "win32":
        return browser.windows_key is not None and not system
    if platform == "darwin":
        return (browser.mac_system if system else browser.mac) is not None
    return (browser.linux_system if system else browser.linux) is not None


def manifest_dir(
    browser: Browser, platform: Platform, home: PurePath, system: bool = False
) -> PurePath:
    """The folder this browser reads host manifests from (on Windows: where we keep ours,
    since Windows browsers find it through the registry)."""
    if platform == "win32":
        base = PureWindowsPath(home) / "AppData" / "Local" / "imapkey" / "NativeMessagingHosts"
        return base / browser.id
    if system:
        folder = browser.mac_system if platform == "darwin" else browser.linux_system
        if folder is None:
            raise ValueError(f"{browser.name} has no system-wide folder on {platform}")
        return PurePosixPath(folder)
    folder = browser.mac if platform == "darwin" else browser.linux
    if folder is None:
        raise ValueError(f"{browser.name} is not available on {platform}")
    return PurePosixPath(home) / folder


def installed(browser: Browser, platform: Platform, home: Path) -> bool:
    """Whether this browser seems to be on the machine (an executable, an app, or a profile)."""
    if browser.is_flatpak:
        assert browser.flatpak_id is not None
        places = [
            home / ".var" / "app" / browser.flatpak_id,
            home / ".local/share/flatpak/app" / browser.flatpak_id,
            Path("/var/lib/flatpak/app") / browser.flatpak_id,
        ]
        return platform == "linux" and any(p.exists() for p in places)
    if platform == "darwin":
        return bool(browser.mac_app and Path(browser.mac_app).exists()) or (
            browser.mac is not None and (home / browser.mac).parent.exists()
        )
    if platform == "win32":
        return browser.windows_profile is not None and (home / browser.windows_profile).exists()
    if any(shutil.which(exe) for exe in browser.executables):
        return True
    return browser.profile is not None and (home / browser.profile).exists()

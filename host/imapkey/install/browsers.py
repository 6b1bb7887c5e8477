"""Where each browser looks for native messaging hosts, on Linux, macOS and Windows.

Facts from ../shared/reference/native-messaging.md and the documentation linked beside each
row. Paths are computed for a given platform, home folder and environment, so every operating
system's layout can be tested on any machine.

Path templates (Linux and Windows rows):
  {home}          the home folder
  {config}        Chromium's config home: $CHROME_CONFIG_HOME, else $XDG_CONFIG_HOME, else
                  ~/.config (every Chromium-based browser inherits this lookup)
  {xdg_config}    $XDG_CONFIG_HOME, else ~/.config
  {localappdata}  %LOCALAPPDATA% (Windows), else <home>\\AppData\\Local
  {appdata}       %APPDATA% (Windows), else <home>\\AppData\\Roaming
macOS rows are relative to ~/Library/Application Support.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import Literal

Family = Literal["chromium", "firefox"]
Platform = Literal["linux", "darwin", "win32"]

_MAC = "Library/Application Support"

CHROME_DOCS = (
    "https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging"
    "#native-messaging-host-location"
)
CHROMIUM_DIRS_DOCS = "https://chromium.googlesource.com/chromium/src/+/main/docs/user_data_dir.md"
EDGE_DOCS = (
    "https://learn.microsoft.com/en-us/microsoft-edge/extensions-chromium/developer-guide/"
    "native-messaging"
)
FIREFOX_DOCS = (
    "https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/Native_manifests"
    "#manifest_location"
)
# Firefox 147+ keeps new profiles under $XDG_CONFIG_HOME/mozilla but still reads native
# manifests from ~/.mozilla only.
FIREFOX_XDG_BUG = "https://bugzilla.mozilla.org/show_bug.cgi?id=2005167"
FLATPAK_DOCS = "https://docs.flatpak.org/en/latest/flatpak-command-reference.html#flatpak-spawn"
SNAP_CHROMIUM_BUG = "https://bugs.launchpad.net/ubuntu/+source/chromium-browser/+bug/1741074"
WEBEXTENSIONS_PORTAL = "https://github.com/flatpak/xdg-desktop-portal/pull/705"

SNAP_CHROMIUM_BLOCKED = (
    "Chromium from Snap cannot start native messaging hosts at all: its sandbox does not "
    f"allow it ({SNAP_CHROMIUM_BUG})."
)
SNAP_CHROMIUM_FIX = (
    "Use a Chromium-based browser from another source (your distribution's package, the "
    "Flatpak org.chromium.Chromium, Google Chrome, Brave or Edge), then: imapkey install"
)
SNAP_FIREFOX_NOTE = (
    "Firefox from Snap starts the host through the WebExtensions portal: the first time the "
    "extension connects, Firefox asks whether imapkey may use 'org.imapkey.host' — answer "
    "Allow (once). If it never asks, your desktop's xdg-desktop-portal lacks that portal "
    f"({WEBEXTENSIONS_PORTAL}); use Firefox from your distribution or Flatpak instead."
)


@dataclass(frozen=True)
class Browser:
    id: str
    name: str
    family: Family
    docs: str  # where the browser documents the folders below
    linux: str | None = None  # per-user folder (template)
    mac: str | None = None  # per-user folder under ~/Library/Application Support
    windows_key: str | None = None  # HKCU key holding one subkey per host
    linux_system: str | None = None
    mac_system: str | None = None
    executables: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()  # folders that exist once the browser has run (Linux)
    flatpak_id: str | None = None
    snap: str | None = None  # the snap's name
    mac_app: str | None = None
    windows_profile: str | None = None  # template; exists once the browser has run
    blocked: str | None = None  # why this browser can never reach a native host
    note: str | None = None  # what the user must know to make it work

    @property
    def is_flatpak(self) -> bool:
        return self.flatpak_id is not None


def _chromium(
    id: str,
    name: str,
    folder: str,
    docs: str,
    *,
    mac: str | None = None,
    windows_key: str | None = None,
    linux_system: str | None = None,
    mac_system: str | None = None,
    executables: tuple[str, ...] = (),
    mac_app: str | None = None,
    windows_profile: str | None = None,
) -> Browser:
    """A Chromium-based browser whose Linux folder is ``{config}/<folder>``."""
    return Browser(
        id,
        name,
        "chromium",
        docs,
        linux=f"{{config}}/{folder}/NativeMessagingHosts",
        mac=f"{mac}/NativeMessagingHosts" if mac else None,
        windows_key=windows_key,
        linux_system=linux_system,
        mac_system=mac_system,
        executables=executables,
        profiles=(f"{{config}}/{folder}",),
        mac_app=mac_app,
        windows_profile=windows_profile,
    )


def _flatpak(id: str, name: str, family: Family, app: str, inside: str) -> Browser:
    """A Flatpak browser: its own copy of the folder under ~/.var/app/<app>/, and the host
    started outside the sandbox by a wrapper."""
    return Browser(
        id,
        f"{name} (Flatpak)",
        family,
        FLATPAK_DOCS,
        linux=f"{{home}}/.var/app/{app}/{inside}",
        flatpak_id=app,
    )


BROWSERS: tuple[Browser, ...] = (
    _chromium(
        "chrome",
        "Google Chrome",
        "google-chrome",
        CHROME_DOCS,
        mac="Google/Chrome",
        # every Chrome channel on Windows reads this one key
        windows_key=r"Software\Google\Chrome\NativeMessagingHosts",
        linux_system="/etc/opt/chrome/native-messaging-hosts",
        mac_system="/Library/Google/Chrome/NativeMessagingHosts",
        executables=("google-chrome", "google-chrome-stable"),
        mac_app="/Applications/Google Chrome.app",
        windows_profile="{localappdata}/Google/Chrome/User Data",
    ),
    _chromium(
        "chrome-beta",
        "Google Chrome Beta",
        "google-chrome-beta",
        CHROMIUM_DIRS_DOCS,
        mac="Google/Chrome Beta",
        executables=("google-chrome-beta",),
        mac_app="/Applications/Google Chrome Beta.app",
    ),
    _chromium(
        "chrome-dev",
        "Google Chrome Dev",
        "google-chrome-unstable",
        CHROMIUM_DIRS_DOCS,
        mac="Google/Chrome Dev",
        executables=("google-chrome-unstable",),
        mac_app="/Applications/Google Chrome Dev.app",
    ),
    _chromium(
        "chrome-canary",
        "Google Chrome Canary",
        "google-chrome-canary",
        CHROMIUM_DIRS_DOCS,
        mac="Google/Chrome Canary",
        executables=("google-chrome-canary",),
        mac_app="/Applications/Google Chrome Canary.app",
    ),
    _chromium(
        "chromium",
        "Chromium",
        "chromium",
        CHROME_DOCS,
        mac="Chromium",
        windows_key=r"Software\Chromium\NativeMessagingHosts",
        linux_system="/etc/chromium/native-messaging-hosts",
        mac_system="/Library/Application Support/Chromium/NativeMessagingHosts",
        executables=("chromium", "chromium-browser"),
        mac_app="/Applications/Chromium.app",
        windows_profile="{localappdata}/Chromium/User Data",
    ),
    _chromium(
        "edge",
        "Microsoft Edge",
        "microsoft-edge",
        EDGE_DOCS,
        mac="Microsoft Edge",
        windows_key=r"Software\Microsoft\Edge\NativeMessagingHosts",
        linux_system="/etc/opt/edge/native-messaging-hosts",
        mac_system="/Library/Microsoft/Edge/NativeMessagingHosts",
        executables=("microsoft-edge", "microsoft-edge-stable"),
        mac_app="/Applications/Microsoft Edge.app",
        windows_profile="{localappdata}/Microsoft/Edge/User Data",
    ),
    _chromium(
        "edge-beta",
        "Microsoft Edge Beta",
        "microsoft-edge-beta",
        EDGE_DOCS,
        mac="Microsoft Edge Beta",
        executables=("microsoft-edge-beta",),
        mac_app="/Applications/Microsoft Edge Beta.app",
    ),
    _chromium(
        "edge-dev",
        "Microsoft Edge Dev",
        "microsoft-edge-dev",
        EDGE_DOCS,
        mac="Microsoft Edge Dev",
        executables=("microsoft-edge-dev",),
        mac_app="/Applications/Microsoft Edge Dev.app",
    ),
    _chromium(
        "brave",
        "Brave",
        "BraveSoftware/Brave-Browser",
        CHROMIUM_DIRS_DOCS,
        mac="BraveSoftware/Brave-Browser",
        windows_key=r"Software\BraveSoftware\Brave-Browser\NativeMessagingHosts",
        executables=("brave-browser", "brave"),
        mac_app="/Applications/Brave Browser.app",
        windows_profile="{localappdata}/BraveSoftware/Brave-Browser/User Data",
    ),
    _chromium(
        "vivaldi",
        "Vivaldi",
        "vivaldi",
        CHROMIUM_DIRS_DOCS,
        mac="Vivaldi",
        windows_key=r"Software\Vivaldi\NativeMessagingHosts",
        executables=("vivaldi", "vivaldi-stable"),
        mac_app="/Applications/Vivaldi.app",
        windows_profile="{localappdata}/Vivaldi/User Data",
    ),
    Browser(
        "arc",
        "Arc",
        "chromium",
        CHROME_DOCS,  # Arc is Chromium-based; its profile lives in "Arc/User Data"
        mac="Arc/User Data/NativeMessagingHosts",
        mac_app="/Applications/Arc.app",
    ),
    Browser(
        "firefox",
        "Firefox",
        "firefox",
        FIREFOX_DOCS,
        linux="{home}/.mozilla/native-messaging-hosts",
        mac="Mozilla/NativeMessagingHosts",
        windows_key=r"Software\Mozilla\NativeMessagingHosts",
        linux_system="/usr/lib/mozilla/native-messaging-hosts",
        mac_system="/Library/Application Support/Mozilla/NativeMessagingHosts",
        executables=("firefox", "firefox-esr"),
        # profiles in ~/.config/mozilla (XDG layout) still read ~/.mozilla: FIREFOX_XDG_BUG
        profiles=("{home}/.mozilla/firefox", "{xdg_config}/mozilla/firefox"),
        mac_app="/Applications/Firefox.app",
        windows_profile="{appdata}/Mozilla/Firefox",
    ),
    Browser(
        "firefox-snap",
        "Firefox (Snap)",
        "firefox",
        WEBEXTENSIONS_PORTAL,
        linux="{home}/.mozilla/native-messaging-hosts",  # read on the host's side by the portal
        snap="firefox",
        note=SNAP_FIREFOX_NOTE,
    ),
    Browser(
        "chromium-snap",
        "Chromium (Snap)",
        "chromium",
        SNAP_CHROMIUM_BUG,
        snap="chromium",
        blocked=SNAP_CHROMIUM_BLOCKED,
    ),
    _flatpak(
        "chrome-flatpak",
        "Google Chrome",
        "chromium",
        "com.google.Chrome",
        "config/google-chrome/NativeMessagingHosts",
    ),
    _flatpak(
        "chromium-flatpak",
        "Chromium",
        "chromium",
        "org.chromium.Chromium",
        "config/chromium/NativeMessagingHosts",
    ),
    _flatpak(
        "edge-flatpak",
        "Microsoft Edge",
        "chromium",
        "com.microsoft.Edge",
        "config/microsoft-edge/NativeMessagingHosts",
    ),
    _flatpak(
        "brave-flatpak",
        "Brave",
        "chromium",
        "com.brave.Browser",
        "config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
    ),
    _flatpak(
        "firefox-flatpak",
        "Firefox",
        "firefox",
        "org.mozilla.firefox",
        ".mozilla/native-messaging-hosts",
    ),
)

BY_ID = {b.id: b for b in BROWSERS}


def expand(template: str, platform: Platform, home: PurePath, env: Mapping[str, str]) -> PurePath:
    """A path template (see the module's docstring) made concrete."""
    if platform == "win32":
        win_home = PureWindowsPath(home)
        local = env.get("LOCALAPPDATA") or str(win_home / "AppData" / "Local")
        roaming = env.get("APPDATA") or str(win_home / "AppData" / "Roaming")
        text = template.format(home=win_home, localappdata=local, appdata=roaming)
        return PureWindowsPath(text)
    posix_home = PurePosixPath(home)
    xdg = env.get("XDG_CONFIG_HOME") or str(posix_home / ".config")
    if not PurePosixPath(xdg).is_absolute():  # the XDG spec says to ignore relative values
        xdg = str(posix_home / ".config")
    config = env.get("CHROME_CONFIG_HOME") or xdg
    return PurePosixPath(template.format(home=posix_home, config=config, xdg_config=xdg))


def supports(browser: Browser, platform: Platform, system: bool = False) -> bool:
    """Whether imapkey can register with this browser there (a blocked browser never)."""
    if platform == "win32":
        return browser.windows_key is not None and not system
    if platform == "darwin":
        return (browser.mac_system if system else browser.mac) is not None
    return (browser.linux_system if system else browser.linux) is not None


def windows_manifest_dir(browser: Browser, home: PurePath, env: Mapping[str, str]) -> PurePath:
    """Where imapkey keeps a browser's manifest on Windows (the registry points at it)."""
    base = expand("{localappdata}", "win32", home, env)
    return base / "imapkey" / "NativeMessagingHosts" / browser.id


def manifest_dir(
    browser: Browser,
    platform: Platform,
    home: PurePath,
    system: bool = False,
    env: Mapping[str, str] | None = None,
) -> PurePath:
    """The folder this browser reads host manifests from (on Windows: where we keep ours,
    since Windows browsers find it through the registry)."""
    env = {} if env is None else env
    if platform == "win32":
        if browser.windows_key is None:
            raise ValueError(f"{browser.name} is not available on Windows")
        return windows_manifest_dir(browser, home, env)
    if system:
        folder = browser.mac_system if platform == "darwin" else browser.linux_system
        if folder is None:
            raise ValueError(f"{browser.name} has no system-wide folder on {platform}")
        return PurePosixPath(folder)
    if platform == "darwin":
        if browser.mac is None:
            raise ValueError(f"{browser.name} is not available on {platform}")
        return PurePosixPath(home) / _MAC / browser.mac
    if browser.linux is None:
        raise ValueError(f"{browser.name} is not available on {platform}")
    return expand(browser.linux, platform, home, env)


def installed(
    browser: Browser,
    platform: Platform,
    home: Path,
    env: Mapping[str, str] | None = None,
    root: Path = Path("/"),
) -> bool:
    """Whether this browser seems to be on the machine (an executable, an app, a profile, a
    Flatpak or a Snap). ``root`` stands for / in tests."""
    env = {} if env is None else env
    if browser.is_flatpak:
        assert browser.flatpak_id is not None
        places = [
            home / ".var" / "app" / browser.flatpak_id,
            home / ".local/share/flatpak/app" / browser.flatpak_id,
            root / "var/lib/flatpak/app" / browser.flatpak_id,
        ]
        return platform == "linux" and any(p.exists() for p in places)
    if browser.snap is not None:
        return platform == "linux" and (
            (root / "snap" / browser.snap).exists() or (home / "snap" / browser.snap).exists()
        )
    if platform == "darwin":
        return bool(browser.mac_app and (root / browser.mac_app.lstrip("/")).exists()) or (
            browser.mac is not None and (home / _MAC / browser.mac).parent.exists()
        )
    if platform == "win32":
        if browser.windows_profile is None:
            return False
        return Path(expand(browser.windows_profile, platform, home, env).as_posix()).exists()
    if browser.linux is None:
        return False
    if root == Path("/") and any(_not_a_snap(shutil.which(exe)) for exe in browser.executables):
        return True
    return any(Path(expand(p, platform, home, env)).exists() for p in browser.profiles)


def _not_a_snap(found: str | None) -> bool:
    """An executable that is not a Snap in disguise (Ubuntu's /usr/bin/chromium-browser)."""
    if found is None:
        return False
    return not str(Path(found).resolve()).startswith(("/snap/", "/usr/bin/snap"))

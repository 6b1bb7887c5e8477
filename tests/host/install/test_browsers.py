"""Every browser is found where it really looks, on each platform, honouring the environment."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from imapkey.install.browsers import BROWSERS, BY_ID, installed, manifest_dir, supports

HOME = PurePosixPath("/home/u")


def test_every_row_links_its_documentation() -> None:
    """Each row names the page that documents its folders, so a reviewer can check it."""
    for browser in BROWSERS:
        assert browser.docs.startswith("https://"), browser.id


def test_every_row_is_usable_somewhere_or_says_why_not() -> None:
    """A row either has a place on some platform or explains why it can never work."""
    for browser in BROWSERS:
        places = [supports(browser, p) for p in ("linux", "darwin", "win32")]  # type: ignore[arg-type]
        assert any(places) or browser.blocked, browser.id


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "/home/u/.config/google-chrome/NativeMessagingHosts"),
        ({"XDG_CONFIG_HOME": "/data/cfg"}, "/data/cfg/google-chrome/NativeMessagingHosts"),
        (
            {"XDG_CONFIG_HOME": "/data/cfg", "CHROME_CONFIG_HOME": "/chrome"},
            "/chrome/google-chrome/NativeMessagingHosts",
        ),
        ({"XDG_CONFIG_HOME": "relative/cfg"}, "/home/u/.config/google-chrome/NativeMessagingHosts"),
    ],
)
def test_chromium_config_home(env: dict[str, str], expected: str) -> None:
    """CHROME_CONFIG_HOME beats XDG_CONFIG_HOME beats ~/.config; a relative XDG value is ignored."""
    assert str(manifest_dir(BY_ID["chrome"], "linux", HOME, env=env)) == expected


def test_every_chromium_browser_follows_the_config_home() -> None:
    """Edge, Brave, Vivaldi and the Chrome channels inherit Chromium's lookup."""
    env = {"CHROME_CONFIG_HOME": "/c"}
    for browser in BROWSERS:
        if browser.family == "chromium" and browser.linux and not browser.is_flatpak:
            assert str(manifest_dir(browser, "linux", HOME, env=env)).startswith("/c/")


def test_firefox_reads_dot_mozilla_even_with_xdg_profiles(tmp_path: Path) -> None:
    """A Firefox whose profiles live in ~/.config/mozilla is found, and gets ~/.mozilla."""
    home = tmp_path / "home"
    (home / ".config/mozilla/firefox").mkdir(parents=True)
    firefox = BY_ID["firefox"]
    assert installed(firefox, "linux", home, {}, root=tmp_path)
    assert str(manifest_dir(firefox, "linux", home, env={"XDG_CONFIG_HOME": "/x"})) == (
        f"{home}/.mozilla/native-messaging-hosts"
    )


@pytest.mark.parametrize("snap", ["chromium", "firefox"])
def test_snaps_are_detected(tmp_path: Path, snap: str) -> None:
    """A Snap is recognised by /snap/<name> (or ~/snap/<name>) and not mistaken for the deb."""
    home = tmp_path / "home"
    home.mkdir()
    row = BY_ID[f"{snap}-snap"]
    assert not installed(row, "linux", home, {}, root=tmp_path)
    (tmp_path / "snap" / snap).mkdir(parents=True)
    assert installed(row, "linux", home, {}, root=tmp_path)
    assert not installed(BY_ID[snap], "linux", home, {}, root=tmp_path)


def test_snap_chromium_is_blocked_and_snap_firefox_explained() -> None:
    """Snap Chromium has no folder and says why; Snap Firefox shares Firefox's and explains
    the portal's prompt."""
    assert BY_ID["chromium-snap"].blocked is not None
    assert not supports(BY_ID["chromium-snap"], "linux")
    note = BY_ID["firefox-snap"].note
    assert note is not None
    assert "portal" in note
    assert "Allow" in note


@pytest.mark.parametrize(
    ("row", "app"),
    [("edge-flatpak", "com.microsoft.Edge"), ("brave-flatpak", "com.brave.Browser")],
)
def test_edge_and_brave_flatpaks(tmp_path: Path, row: str, app: str) -> None:
    """Edge's and Brave's Flatpaks are found by their app ids, system-wide or per user."""
    home = tmp_path / "home"
    home.mkdir()
    assert not installed(BY_ID[row], "linux", home, {}, root=tmp_path)
    (tmp_path / "var/lib/flatpak/app" / app).mkdir(parents=True)
    assert installed(BY_ID[row], "linux", home, {}, root=tmp_path)
    assert str(manifest_dir(BY_ID[row], "linux", home)).startswith(f"{home}/.var/app/{app}/")


def test_windows_uses_localappdata_from_the_environment(tmp_path: Path) -> None:
    """A browser's profile is looked for under %LOCALAPPDATA% as set, not home/AppData/Local."""
    local = tmp_path / "elsewhere"
    (local / "BraveSoftware/Brave-Browser/User Data").mkdir(parents=True)
    env = {"LOCALAPPDATA": str(local)}
    assert installed(BY_ID["brave"], "win32", tmp_path / "home", env)
    assert not installed(BY_ID["brave"], "win32", tmp_path / "home", {})
    folder = manifest_dir(BY_ID["vivaldi"], "win32", PureWindowsPath(r"C:\Users\u"), env=env)
    assert str(folder).endswith(r"imapkey\NativeMessagingHosts\vivaldi")


def test_every_windows_key_is_its_own() -> None:
    """No two browsers share a registry key: removing one never breaks another."""
    keys = [b.windows_key for b in BROWSERS if b.windows_key]
    assert len(keys) == len(set(keys)) == 6


def test_macos_arc_and_chrome_channels(tmp_path: Path) -> None:
    """Arc and Chrome Beta/Dev/Canary are found on macOS by their apps."""
    home = tmp_path / "home"
    home.mkdir()
    for row, app in [
        ("arc", "Arc.app"),
        ("chrome-beta", "Google Chrome Beta.app"),
        ("chrome-dev", "Google Chrome Dev.app"),
        ("chrome-canary", "Google Chrome Canary.app"),
    ]:
        assert not installed(BY_ID[row], "darwin", home, root=tmp_path)
        (tmp_path / "Applications" / app).mkdir(parents=True)
        assert installed(BY_ID[row], "darwin", home, root=tmp_path)

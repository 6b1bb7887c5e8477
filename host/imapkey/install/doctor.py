"""``imapkey doctor``: why a browser cannot find or start the host, each cause with its fix.

For every browser found and every manifest present: is the manifest where that browser looks,
is it valid, does its path point at an executable imapkey-host of this version, do its ids
match the extension, does the host answer ``hello`` when spawned exactly as the browser spawns
it? And is the keyring usable?
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from imapkey import __version__
from imapkey.identity import HOST_NAME, identity
from imapkey.install import manifests
from imapkey.install.browsers import BROWSERS, Browser, Platform, manifest_dir, supports
from imapkey.install.browsers import installed as browser_installed

if TYPE_CHECKING:
    from imapkey.install.installer import Registry

FLATPAK_WARNING = (
    "that permission lets the browser run any command on this computer outside its sandbox, "
    "not only imapkey-host"
)

SPAWN_TIMEOUT = 10.0


@dataclass
class Finding:
    ok: bool
    what: str
    fix: str = ""


@dataclass
class BrowserReport:
    browser: Browser
    installed: bool
    manifest: Path | None  # None: the browser has nowhere to put one (e.g. Snap Chromium)
    findings: list[Finding] = field(default_factory=list)

    @property
    def reachable(self) -> bool:
        return bool(self.findings) and all(f.ok for f in self.findings)

    @property
    def broken(self) -> bool:
        return self.manifest is not None and self.manifest.exists() and not self.reachable


def _install_fix(browser: Browser) -> str:
    return f"Run: imapkey install --browser {browser.id}"


def spawn_hello(exe: str, browser: Browser, manifest: Path) -> Finding:
    """Start the host exactly as this browser would and ask ``hello``."""
    ids = identity()
    args = [ids.chromium_origin] if browser.family == "chromium" else [str(manifest), ids.gecko_id]
    body = json.dumps({"v": 1, "id": "doctor", "type": "hello"}).encode()
    try:
        proc = subprocess.run(
            [exe, *args],
            input=struct.pack("=I", len(body)) + body,
            capture_output=True,
            timeout=SPAWN_TIMEOUT,
            cwd=str(Path(exe).parent),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Finding(
            False, f"the host could not be started ({type(exc).__name__})", _reinstall_fix(browser)
        )
    out = proc.stdout
    if len(out) < 4:
        tail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
        return Finding(
            False, f"the host started but did not answer: {tail[0][:200]}", _reinstall_fix(browser)
        )
    (length,) = struct.unpack("=I", out[:4])
    try:
        reply = json.loads(out[4 : 4 + length])
    except ValueError:
        return Finding(
            False,
            "the host answered with something that is not JSON",
            "Make sure nothing else prints to stdout in the host's environment.",
        )
    if not reply.get("ok"):
        code = reply.get("error", {}).get("code")
        return Finding(False, f"the host refused hello ({code})", _reinstall_fix(browser))
    version = reply["result"].get("version")
    return Finding(
        True,
        f"the host answers hello (imapkey {version}, protocol {reply['result'].get('protocol')})",
    )


def _reinstall_fix(browser: Browser) -> str:
    return f"Reinstall: imapkey install --browser {browser.id}"


def check_manifest(browser: Browser, path: Path) -> list[Finding]:
    findings: list[Finding] = []
    if not path.exists():
        return [Finding(False, f"no manifest at {path}", _install_fix(browser))]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [
            Finding(
                False,
                f"the manifest {path} is unreadable ({type(exc).__name__})",
                _reinstall_fix(browser),
            )
        ]
    findings.append(Finding(True, f"manifest at {path}"))
    if data.get("name") != HOST_NAME or path.name != manifests.manifest_file_name():
        findings.append(
            Finding(
                False,
                f"the manifest's name is {data.get('name')!r}, not {HOST_NAME!r}",
                _reinstall_fix(browser),
            )
        )
    ids = identity()
    if browser.family == "chromium":
        key, wanted = "allowed_origins", ids.chromium_origins
    else:
        key, wanted = "allowed_extensions", list(ids.gecko_ids)
    allowed = data.get(key) or []
    missing = [i for i in wanted if i not in allowed]
    if missing:
        findings.append(
            Finding(
                False,
                f"{key} {allowed} does not include {', '.join(missing)} "
                "(the browser will answer 'forbidden' to that extension)",
                _reinstall_fix(browser),
            )
        )
    else:
        findings.append(Finding(True, f"{key} names every imapkey extension id ({len(wanted)})"))
    exe = data.get("path")
    if not isinstance(exe, str) or not os.path.isabs(exe):
        findings.append(
            Finding(False, f"the manifest's path {exe!r} is not absolute", _reinstall_fix(browser))
        )
        return findings
    if not Path(exe).exists():
        findings.append(
            Finding(
                False,
                f"the host {exe} does not exist (moved, or a stale path after an update)",
                _reinstall_fix(browser),
            )
        )
        return findings
    if not os.access(exe, os.X_OK):
        findings.append(
            Finding(
                False,
                f"the host {exe} is not executable",
                f"Run: chmod +x {exe}  (or {_reinstall_fix(browser)})",
            )
        )
        return findings
    if browser.is_flatpak:
        findings.append(
            Finding(
                True,
                f"Flatpak wrapper {exe}; it needs: flatpak override --user "
                f"--talk-name=org.freedesktop.Flatpak {browser.flatpak_id} "
                f"(warning: {FLATPAK_WARNING})",
            )
        )
        return findings
    version = _host_version(exe)
    if version != __version__:
        findings.append(
            Finding(
                False,
                f"the host {exe} is version {version}, this is {__version__}",
                _reinstall_fix(browser),
            )
        )
        return findings
    findings.append(Finding(True, f"the host {exe} is imapkey {version}"))
    findings.append(spawn_hello(exe, browser, path))
    return findings


def _host_version(exe: str) -> str | None:
    try:
        out = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=SPAWN_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    words = out.stdout.split()
    return words[1] if len(words) == 2 and words[0] == "imapkey-host" else None


def keyring_finding() -> Finding:
    from imapkey.errors import ImapkeyError
    from imapkey.vault import secrets

    try:
        secrets.get("doctor@imapkey.invalid", "doctor.invalid")
    except ImapkeyError as exc:
        return Finding(False, f"keyring: {exc.message}", exc.hint)
    return Finding(True, f"keyring usable ({secrets.backend_name()})")


def diagnose(
    platform: Platform,
    home: Path,
    extra_dirs: list[Path] | None = None,
    browsers: list[Browser] | None = None,
    env: Mapping[str, str] | None = None,
    registry: Registry | None = None,
    root: Path = Path("/"),
) -> tuple[list[BrowserReport], Finding]:
    """A report per browser found or manifest present, and the keyring's state. On Windows
    the manifest is the one the browser's HKCU key names (``registry`` is the seam)."""
    reports = []
    for browser in browsers or list(BROWSERS):
        found = browser_installed(browser, platform, home, env, root)
        if browser.blocked is not None:
            if found:
                fix = _blocked_fix(browser)
                reports.append(
                    BrowserReport(browser, True, None, [Finding(False, browser.blocked, fix)])
                )
            continue
        if not supports(browser, platform):
            continue
        if platform == "win32":
            report = _windows_report(browser, home, env or {}, found, registry)
            if report is not None:
                reports.append(report)
            continue
        path = Path(manifest_dir(browser, platform, home, env=env)) / manifests.manifest_file_name()
        if not found and (browser.snap is not None or not path.exists()):
            continue  # a Snap row shares Firefox's folder: only the Snap itself counts
        report = BrowserReport(browser, found, path)
        report.findings = check_manifest(browser, path)
        if browser.note is not None:
            report.findings.append(Finding(True, browser.note))
        reports.append(report)
    for folder in extra_dirs or []:
        path = folder / manifests.manifest_file_name()
        family_browser = _guess_family(path)
        report = BrowserReport(family_browser, True, path)
        report.findings = check_manifest(family_browser, path)
        reports.append(report)
    return reports, keyring_finding()


def _blocked_fix(browser: Browser) -> str:
    from imapkey.install.browsers import SNAP_CHROMIUM_FIX

    return SNAP_CHROMIUM_FIX if browser.id == "chromium-snap" else ""


def _windows_report(
    browser: Browser,
    home: Path,
    env: Mapping[str, str],
    found: bool,
    registry: Registry | None,
) -> BrowserReport | None:
    """Windows browsers find the manifest through ``HKCU\\<key>\\org.imapkey.host``."""
    from imapkey.install.hostpath import MS_STORE_EXPLAINED, ms_store_python
    from imapkey.install.installer import WindowsRegistry

    reg = registry or WindowsRegistry()
    key = f"{browser.windows_key}\\{HOST_NAME}"
    value = reg.get_default(key)
    if value is None and not found:
        return None
    expected = Path(manifest_dir(browser, "win32", home, env=env)) / manifests.manifest_file_name()
    if value is None:
        findings = [Finding(False, f"no registry key HKCU\\{key}", _install_fix(browser))]
        return BrowserReport(browser, found, expected, findings)
    findings = [Finding(True, f"HKCU\\{key} = {value}")]
    findings += check_manifest(browser, Path(value))
    if ms_store_python():
        findings.append(Finding(False, MS_STORE_EXPLAINED.split(". ")[0] + ".", MS_STORE_EXPLAINED))
    return BrowserReport(browser, found, Path(value), findings)


def _guess_family(path: Path) -> Browser:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = {}
    wanted = "firefox" if "allowed_extensions" in data else "chromium"
    return next(b for b in BROWSERS if b.id == wanted)


def exit_status(reports: list[BrowserReport]) -> int:
    if not any(r.reachable for r in reports) or any(r.broken for r in reports):
        return 1
    return 0

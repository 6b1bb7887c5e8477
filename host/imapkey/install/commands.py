"""The CLI's install, uninstall and doctor commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from imapkey.identity import (
    Identity,
    config_ids,
    config_path,
    extension_manifest_path,
    id_family,
    identity,
    normalise_id,
    remember_ids,
)
from imapkey.install import doctor, installer
from imapkey.install.browsers import BY_ID, Browser, supports

FLATPAK_GRANT_WARNING = (
    "  WARNING: this lets the browser run ANY command on this computer outside its sandbox, as\n"
    "  you — not only imapkey-host. Grant it only to a browser you trust that far; a browser\n"
    "  from your distribution's packages needs no such permission."
)


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    names = ", ".join(BY_ID)
    install = commands.add_parser(
        "install",
        help="register the native host with your browsers",
        description="Write the native messaging host manifest for each browser (every browser "
        f"found, or those named with --browser: {names}).",
    )
    add_browser_flags(install)
    install.add_argument(
        "--dir",
        type=Path,
        help="write into this NativeMessagingHosts folder (e.g. a Chromium --user-data-dir)",
    )
    install.add_argument(
        "--print",
        action="store_true",
        dest="dry_run",
        help="show what would be written where; change nothing",
    )
    install.add_argument(
        "--system",
        action="store_true",
        help="the system-wide folders (as root; only for a host that root alone can change)",
    )
    install.add_argument(
        "--extension-id",
        action="append",
        default=[],
        metavar="ID",
        help="also allow this extension id (a self-built or side-loaded build; repeatable); "
        "remembered in your config so the host serves it",
    )

    uninstall = commands.add_parser("uninstall", help="remove what install wrote")
    add_browser_flags(uninstall)
    uninstall.add_argument(
        "--dir", type=Path, help="remove from this NativeMessagingHosts folder instead"
    )
    uninstall.add_argument("--system", action="store_true", help="the system-wide folders")

    doc = commands.add_parser("doctor", help="explain why a browser cannot reach the host")
    doc.add_argument(
        "--dir", type=Path, action="append", default=[], help="also check a manifest in this folder"
    )
    doc.add_argument("--json", action="store_true", help="print the findings as JSON")


def add_browser_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--browser",
        action="append",
        choices=list(BY_ID),
        metavar="NAME",
        help="only this browser (repeatable)",
    )


def _targets(
    args: argparse.Namespace, host: str, ids: Identity | None = None
) -> list[installer.Target]:
    platform = installer.current_platform()
    home = Path.home()
    names = args.browser
    if args.dir is not None and not names:
        names = ["chromium"]
    browsers = installer.select(names, platform, home, os.environ)
    if not names:  # every browser found: skip those that cannot take a manifest there
        browsers = [b for b in browsers if b.blocked is None and supports(b, platform, args.system)]
    return installer.plan(browsers, platform, home, host, args.system, args.dir, os.environ, ids)


def _new_ids(raw: list[str]) -> list[str] | str:
    """The ids given with --extension-id, or why one is not an extension id."""
    ids = []
    for item in raw:
        ext_id = normalise_id(item)
        if id_family(ext_id) is None:
            return (
                f"{item!r} is not an extension id: Chromium ids are 32 letters a-p (shown on "
                "chrome://extensions), Firefox ids look like name@example.org or {GUID}"
            )
        ids.append(ext_id)
    return ids


def cmd_install(args: argparse.Namespace) -> int:
    new_ids = _new_ids(args.extension_id)
    if isinstance(new_ids, str):
        print(new_ids, file=sys.stderr)
        return 2
    if new_ids and args.system:
        print(
            "--extension-id cannot go with --system: the host runs as each user and serves the "
            "ids in that user's config. Each user allows their copy with: "
            "imapkey install --extension-id ID",
            file=sys.stderr,
        )
        return 2
    try:
        host = installer.host_executable()
    except FileNotFoundError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.system:
        refusal = system_refusal(host)
        if refusal:
            print(refusal, file=sys.stderr)
            return 1
    if installer.current_platform() == "win32":
        from imapkey.install.hostpath import MS_STORE_EXPLAINED, ms_store_python

        if ms_store_python():
            print(MS_STORE_EXPLAINED, file=sys.stderr)
            return 1
    ids = identity([*config_ids(), *new_ids])  # --print shows them without remembering them
    # A ValueError (a browser or option that cannot be served) reaches the CLI's guard, which
    # words it like every other refusal and exits 2.
    targets = _targets(args, host, ids)
    if not targets:
        print(
            "No browser found. Name one with --browser NAME (" + ", ".join(BY_ID) + ").",
            file=sys.stderr,
        )
        return 1
    if not args.dry_run:
        installer.apply(targets)  # before saying "wrote": a failed write must not be reported
    for target in targets:
        where = target.manifest_path
        verb = "would write" if args.dry_run else "wrote"
        print(f"{target.browser.name}: {verb} {where}")
        if target.registry_key:
            print(f"  and HKCU\\{target.registry_key} = {where}")
        if target.wrapper_path:
            print(f"  and {target.wrapper_path} (runs the host outside the Flatpak sandbox)")
            print(
                "  Flatpak: allow it once with\n    flatpak override --user "
                f"--talk-name=org.freedesktop.Flatpak {target.browser.flatpak_id}"
            )
            print(FLATPAK_GRANT_WARNING)
        if target.browser.note:
            print(f"  {target.browser.note}")
        if args.dry_run:
            print("  " + target.manifest.replace("\n", "\n  "))
    if not args.dry_run:
        if new_ids:  # remembered only once the manifests are written
            remember_ids(new_ids)
            print(f"Extension ids allowed, and remembered in {config_path()}: {', '.join(new_ids)}")
        print_load_instructions({t.browser for t in targets})
    return 0


def system_refusal(host: str) -> str:
    """Why --system must refuse this host ('' when root alone controls everything it runs)."""
    import imapkey
    from imapkey.install.trust import system_install_problem

    problem = system_install_problem(Path(host), Path(imapkey.__file__).resolve().parent)
    if problem is None:
        return ""
    return (
        f"Refusing --system: {problem}.\n"
        "A system-wide manifest makes every user's browser run this host, so whoever can change "
        "it could run code as each of them.\nInstall imapkey where only root can write (e.g. "
        "as root: PIPX_HOME=/opt/pipx PIPX_BIN_DIR=/usr/local/bin pipx install imapkey), or "
        "register it for yourself only: imapkey install"
    )


def print_load_instructions(browsers: set[Browser]) -> None:
    """How to add the extension, for a user with a checkout and for one without."""
    families = {b.family for b in browsers}
    ids = identity()
    checkout = extension_manifest_path().is_file()
    source = extension_manifest_path().parent
    print("\nNow add the imapkey extension to your browser:")
    if "chromium" in families:
        print(
            "  Chrome, Chromium, Edge, Brave, Vivaldi, Arc: install imapkey from the Chrome Web "
            "Store or Edge Add-ons,"
        )
        where = f"the folder {source}" if checkout else "imapkey-<version>-chrome.zip, unzipped"
        print(
            "    or load it yourself: chrome://extensions → Developer mode → 'Load unpacked' → "
            f"{where}."
        )
        print(f"    Ids served: {', '.join(ids.chromium_ids)}.")
        print(
            "    A copy with another id (see chrome://extensions): "
            "imapkey install --extension-id ID"
        )
    if "firefox" in families:
        print("  Firefox: install imapkey from addons.mozilla.org,")
        where = f"{source / 'manifest.json'}" if checkout else "imapkey-<version>-firefox.zip"
        print(
            "    or load it yourself: about:debugging#/runtime/this-firefox → 'Load Temporary "
            f"Add-on…' → {where}."
        )
        print(f"    Ids served: {', '.join(ids.gecko_ids)}.")
    print("Then: imapkey doctor  — checks that each browser can reach the host.")


def cmd_uninstall(args: argparse.Namespace) -> int:
    try:
        host = installer.host_executable()
    except FileNotFoundError:
        host = "imapkey-host"  # only the files' places matter here
    try:
        targets = _targets(args, host)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    removed = installer.remove(targets)
    for path in removed:
        print(f"removed {path}")
    if not removed:
        print("Nothing to remove.")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    reports, keyring = doctor.diagnose(
        installer.current_platform(), Path.home(), args.dir, env=os.environ
    )
    status = doctor.exit_status(reports)
    if keyring.ok is False:
        status = 1
    if args.json:
        print(
            json.dumps(
                {
                    "browsers": [
                        {
                            "browser": r.browser.id,
                            "installed": r.installed,
                            "manifest": None if r.manifest is None else str(r.manifest),
                            "reachable": r.reachable,
                            "findings": [f.__dict__ for f in r.findings],
                        }
                        for r in reports
                    ],
                    "keyring": keyring.__dict__,
                },
                indent=2,
            )
        )
        return status
    if not reports:
        print(
            "No browser and no installed manifest found.\n  → Run: imapkey install "
            "--browser NAME (" + ", ".join(BY_ID) + ")"
        )
    for report in reports:
        state = "can reach the host" if report.reachable else "cannot reach the host"
        print(f"{report.browser.name}: {state}")
        for finding in report.findings:
            print(f"  {'✓' if finding.ok else '✗'} {finding.what}")
            if finding.fix:
                print(f"    → {finding.fix}")
    print(f"{'✓' if keyring.ok else '✗'} {keyring.what}")
    if keyring.fix:
        print(f"    → {keyring.fix}")
    return status

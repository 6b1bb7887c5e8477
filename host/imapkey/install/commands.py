"""The CLI's install, uninstall and doctor commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from imapkey.identity import identity
from imapkey.install import doctor, installer
from imapkey.install.browsers import BY_ID


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
    install.add_argument("--system", action="store_true", help="the system-wide folders")

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


def _targets(args: argparse.Namespace) -> list[installer.Target]:
    platform = installer.current_platform()
    home = Path.home()
    names = args.browser
    if args.dir is not None and not names:
        names = ["chromium"]
    browsers = installer.select(names, platform, home)
    return installer.plan(
        browsers, platform, home, installer.host_executable(), args.system, args.dir
    )


def cmd_install(args: argparse.Namespace) -> int:
    targets = _targets(args)
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
        if args.dry_run:
            print("  " + target.manifest.replace("\n", "\n  "))
    if not args.dry_run:
        print_load_instructions({t.family for t in targets})
    return 0


def print_load_instructions(families: set[str]) -> None:
    ids = identity()
    print("\nNow load the extension (the folder extension/ of imapkey's source):")
    if "chromium" in families:
        print(
            "  Chrome, Chromium, Edge, Brave, Vivaldi: open chrome://extensions, switch on "
            "Developer mode, click 'Load unpacked' and choose extension/."
        )
        print(f"    Its id must be {ids.chromium_id} (pinned by the manifest's key).")
    if "firefox" in families:
        print(
            "  Firefox: open about:debugging#/runtime/this-firefox, click 'Load Temporary "
            "Add-on…' and choose extension/manifest.json."
        )
        print(f"    Its id is {ids.gecko_id}.")
    print("Then: imapkey doctor  — checks that each browser can reach the host.")


def cmd_uninstall(args: argparse.Namespace) -> int:
    targets = _targets(args)
    removed = installer.remove(targets)
    for path in removed:
        print(f"removed {path}")
    if not removed:
        print("Nothing to remove.")
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    reports, keyring = doctor.diagnose(installer.current_platform(), Path.home(), args.dir)
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
                            "manifest": str(r.manifest),
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

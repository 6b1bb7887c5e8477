"""Popup open → saved accounts shown, with a cold host and a warm one (headless Chromium).

Cold: the first popup after the browser starts, so the background spawns imapkey-host.
Warm: a popup opened while the background's port to the host is still open (it stays open for
an idle minute). Each run saves 5 accounts first (no network), then measures from navigation
to the list rendered from the cache and to the list refreshed by the host.

Needs what `make test` installs (Chromium, gnome-keyring, dbus). Usage:
python bench/popup_open.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support import chromium
from support.secret_service import SecretService

CLI = Path(sys.executable).with_name("imapkey")


def measure(page: object, url: str) -> tuple[float, float]:
    start = time.perf_counter()
    page.goto(url)  # type: ignore[attr-defined]
    page.wait_for_selector("#accounts li")  # type: ignore[attr-defined]
    first = time.perf_counter() - start
    page.wait_for_selector("#accounts[data-source='host']")  # type: ignore[attr-defined]
    return first, time.perf_counter() - start


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="imapkey-bench-popup-"))
    keyring = SecretService(base / "keyring")
    keyring.start()
    rows: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
    try:
        env = {
            **os.environ,
            **keyring.env,
            "XDG_DATA_HOME": str(base / "data"),
            "XDG_STATE_HOME": str(base / "state"),
        }
        for i in range(5):
            subprocess.run(
                [
                    str(CLI),
                    "save",
                    f"user{i}@example.com",
                    "--host",
                    "imap.example.invalid",
                    "--no-verify",
                    "--password-stdin",
                ],
                input=f"pw-{i}\n",
                text=True,
                env=env,
                check=True,
                capture_output=True,
            )
        with sync_playwright() as playwright:
            for run in range(args.runs):
                profile = base / f"chromium-{run}"
                chromium.install_host(profile, env)
                context = chromium.launch(playwright, profile, env)
                try:
                    chromium.service_worker(context)
                    page = context.new_page()
                    rows["cold"].append(measure(page, chromium.popup_url()))
                    page.close()
                    page = context.new_page()
                    rows["warm"].append(measure(page, chromium.popup_url()))
                finally:
                    context.close()
    finally:
        keyring.stop()
        shutil.rmtree(base, ignore_errors=True)
    print("| host | list shown (ms) | list from the host (ms) |")
    print("|---|---|---|")
    for name, values in rows.items():
        first = statistics.median(v[0] for v in values) * 1000
        fresh = statistics.median(v[1] for v in values) * 1000
        print(f"| {name} | {first:.0f} | {fresh:.0f} |")
    print(f"\nmedian of {args.runs} runs; 5 saved accounts")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Popup open -> address prefilled and saved accounts shown, beside an empty page of the same
extension, in headless Chromium with the real host and a real gnome-keyring.

Each run launches four fresh browsers, each first opening the stand-in Google Account page (an
app password on show), whose ``warm.js`` asks the background to start the host:
- ``empty``, the floor: an empty page of the extension opened twice (``cold``: the first
  extension page after the browser started; ``warm``: the next one);
- ``popup``, the popup opened twice for that Google tab as soon as the page has loaded:
  ``cold`` finds the host the page has just started still starting, ``warm`` finds its port
  open (it stays open for an idle minute);
- ``unwarmed``, the same popup in a copy of the extension without ``warm.js`` (Firefox before
  the site is allowed, or a popup opened anywhere else): ``cold`` spawns the host itself;
- ``probe``, the least any popup can do, in a copy of the extension whose popup is one classic
  script that asks the background for the list and runs one trivial script in the Google tab:
  the floor of the browser's own messaging for the list and for prefill.
All times are from the page's navigation start, read from the page's own timeline: the empty
page's ``load`` event, and the popup's User Timing marks (``imapkey:prefill`` when the address
from the page is filled in, ``imapkey:list-cache`` / ``imapkey:list-host`` when the saved list
first shows from the cache / from the host, ``imapkey:list-full`` when the full list, with the
keyring's state, is in). The pydantic floor (``python -c "from pydantic
import BaseModel"``) is measured in the same run. 5 saved accounts, the keyring's choice
remembered (as after any save).

Targets (issue 13): warm list from the host <= the warm empty page + 30 ms; cold list <= the
cold empty page + the pydantic floor + 100 ms; prefill <= the empty page + 50 ms.

Needs what `make test` installs (Chromium, gnome-keyring, dbus). Usage:
python bench/popup_open.py [--runs N] [--check]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import trustme

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import imapkey
from support import chromium
from support.certs import issue
from support.secret_service import SecretService
from support.standin import StandIn

CLI = Path(sys.executable).with_name("imapkey")
EMPTY_PAGE = "bench-empty.html"
PROBE_PAGE = '<!doctype html><meta charset=utf-8><script src="probe.js"></script>\n'
# One list request through the background (the popup's first), one script run in the Google
# tab (what reading the page needs at the least); a mark each when answered.
PROBE_SCRIPT = """\
const api = globalThis.browser ?? globalThis.chrome;
api.runtime.sendMessage({ kind: "host", type: "list", fields: { secrets: false } })
  .then((reply) => { if (reply?.ok) performance.mark("imapkey:list-host"); });
const tab = Number(new URLSearchParams(location.search).get("tab"));
api.scripting.executeScript({ target: { tabId: tab }, func: () => document.title })
  .then(() => performance.mark("imapkey:prefill"));
"""
EMAIL = "demo.user@gmail.com"
TEMPS = ("cold", "warm")


def floor_ms() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from pydantic import BaseModel"], check=True)
    return (time.perf_counter() - start) * 1000


def extension_copies(base: Path) -> dict[str, Path]:
    """Each kind's extension: the one shipped plus an empty page, and the two variants (all
    with the same key, so the same id the host serves)."""
    shipped = base / "extension"
    shutil.copytree(chromium.EXTENSION, shipped)
    (shipped / EMPTY_PAGE).write_text("<!doctype html><meta charset=utf-8><title>empty</title>\n")
    unwarmed = base / "unwarmed"
    shutil.copytree(chromium.EXTENSION, unwarmed)
    manifest = json.loads((unwarmed / "manifest.json").read_text())
    del manifest["content_scripts"]
    (unwarmed / "manifest.json").write_text(json.dumps(manifest))
    probe = base / "probe"
    shutil.copytree(chromium.EXTENSION, probe)
    (probe / "popup.html").write_text(PROBE_PAGE)
    (probe / "probe.js").write_text(PROBE_SCRIPT)
    return {"empty": shipped, "popup": shipped, "unwarmed": unwarmed, "probe": probe}


def google_tab(context: Any, standin: StandIn) -> int:
    google = context.new_page()
    google.goto(standin.url)
    worker = chromium.service_worker(context)
    tab_id: int = worker.evaluate(
        "async () => (await chrome.tabs.query({url: 'https://myaccount.google.com/*'}))[0].id"
    )
    return tab_id


def empty_page(context: Any) -> float:
    page = context.new_page()
    page.goto(chromium.popup_url().replace("popup.html", EMPTY_PAGE))
    ms: float = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    page.close()
    return ms


def popup(context: Any, tab_id: int, marks: tuple[str, ...]) -> dict[str, float]:
    page = context.new_page()
    page.goto(chromium.popup_url(tab_id))
    # Polled from here: the extension's CSP forbids the eval wait_for_function polls with.
    deadline = time.monotonic() + 30
    while not page.evaluate(
        "(names) => names.every((n) => performance.getEntriesByName(`imapkey:${n}`).length)",
        list(marks),
    ):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the popup set no mark of {marks} within 30 s")
        time.sleep(0.01)
    found: dict[str, float] = page.evaluate(
        "Object.fromEntries(performance.getEntriesByType('mark')"
        ".map((m) => [m.name.replace('imapkey:', ''), m.startTime]))"
    )
    page.close()
    return found


WAITS = {
    "probe": ("list-host", "prefill"),
    "popup": ("list-host", "prefill", "list-full"),
    "unwarmed": ("list-host", "prefill", "list-full"),
}
LABELS = {
    "empty": "empty page of the extension (floor)",
    "prefill": "address prefilled from the Google page",
    "list-cache": "saved list shown from the cache",
    "list-host": "saved list from the host",
    "list-full": "the full list (which secrets the keyring holds)",
    "unwarmed list-host": "saved list from the host, host not started by the page",
    "probe prefill": "probe: a script run in the Google tab (floor for prefill)",
    "probe list-host": "probe: the list from the host, nothing shown (floor for the list)",
}


def measure(runs: int) -> dict[str, list[float]]:
    """Every kind's figures of every run, by ``"<kind> <mark> <temperature>"`` (the popup's
    without the kind)."""
    from playwright.sync_api import sync_playwright

    base = Path(tempfile.mkdtemp(prefix="imapkey-bench-popup-"))
    keyring = SecretService(base / "keyring")
    keyring.start()
    standin = StandIn(
        issue(base / "certs", "page", trustme.CA(), hosts=("myaccount.google.com",)),
        EMAIL,
        "Demo User",
        "abcdefghijklmnop",
    )
    extensions = extension_copies(base)
    rows: dict[str, list[float]] = {}
    try:
        env = {
            **os.environ,
            **keyring.env,
            **{k: str(base / k.lower()) for k in ("XDG_DATA_HOME", "XDG_STATE_HOME")},
            "XDG_CACHE_HOME": str(base / "cache"),
            "XDG_CONFIG_HOME": str(base / "config"),
        }
        for i in range(5):
            subprocess.run(
                [
                    str(CLI),
                    *("save", f"user{i}@example.com", "--host", "imap.example.invalid"),
                    *("--no-verify", "--password-stdin"),
                ],
                input=f"pw-{i}\n",
                text=True,
                env=env,
                check=True,
                capture_output=True,
            )
        with sync_playwright() as playwright:
            for run in range(runs):
                rows.setdefault("pydantic", []).append(floor_ms())
                for kind, extension in extensions.items():
                    profile = base / f"chromium-{run}-{kind}"
                    chromium.install_host(profile, env)
                    context = chromium.launch(
                        playwright, profile, env, standin.port, extension=extension
                    )
                    try:
                        tab_id = google_tab(context, standin)
                        for temperature in ("cold", "warm"):
                            if kind == "empty":
                                marks = {"empty": empty_page(context)}
                            else:
                                marks = popup(context, tab_id, WAITS[kind])
                            prefix = "" if kind in ("empty", "popup") else f"{kind} "
                            for mark, ms in marks.items():
                                rows.setdefault(f"{prefix}{mark} {temperature}", []).append(ms)
                    finally:
                        context.close()
    finally:
        keyring.stop()
        standin.close()
        shutil.rmtree(base, ignore_errors=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args()
    compileall.compile_dir(Path(imapkey.__file__).parent, quiet=1)
    med = {name: statistics.median(values) for name, values in measure(args.runs).items()}
    print("| popup (ms from navigation start) | cold | warm |")
    print("|---|---|---|")
    for key, label in LABELS.items():
        cells = [f"{med[f'{key} {t}']:.0f}" if f"{key} {t}" in med else "-" for t in TEMPS]
        print(f"| {label} | {cells[0]} | {cells[1]} |")
    print(
        f"\npydantic floor (same run): {med['pydantic']:.0f} ms; median of {args.runs} runs; "
        "5 saved accounts"
    )
    targets = {
        "warm list <= empty + 30": med["list-host warm"] <= med["empty warm"] + 30,
        "cold list <= empty + pydantic + 100": med["list-host cold"]
        <= med["empty cold"] + med["pydantic"] + 100,
        "cold prefill <= empty + 50": med["prefill cold"] <= med["empty cold"] + 50,
        "warm prefill <= empty + 50": med["prefill warm"] <= med["empty warm"] + 50,
    }
    for name, met in targets.items():
        print(f"- {name}: {'met' if met else 'MISSED'}")
    return 1 if args.check and not all(targets.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

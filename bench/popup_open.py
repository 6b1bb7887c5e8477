"""Popup open -> address prefilled and saved accounts shown, beside an empty page of the same
extension, in headless Chromium with the real host and a real gnome-keyring.

Each run launches four fresh browsers (in a rotating order), each first opening the stand-in
Google Account page (an app password on show):
- ``empty``, the floor: an empty page of the extension opened twice (``cold``: the first
  extension page after the browser started; ``warm``: the next one);
- ``popup``, the popup opened twice for that Google tab as soon as the page has loaded:
  ``cold`` spawns the host, ``warm`` finds its port open (it stays open for an idle minute);
- ``probe``, the least any popup can do: a popup that is one classic script, which asks the
  background for the list and runs one trivial script in the Google tab; the floor of the
  browser's own messaging (and, cold, of spawning the host) for the list and for prefill;
- ``later``, the extension as shipped, whose ``warm.js`` has the host started as the Google
  page opens, with the popup opened 2 s after the page loaded, as by a user who has just made
  the app password there: still the first popup after the browser started.
The first three run in a copy of the extension without ``warm.js``, so that nothing but the
page measured starts the host: their figures are the popup's own, and the cold targets are
judged where the popup spawns the host itself.
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
# tab (what reading the page needs at the least); a mark each when answered, ``failed`` if not.
PROBE_SCRIPT = """\
const api = globalThis.browser ?? globalThis.chrome;
const failed = () => performance.mark("imapkey:failed");
api.runtime.sendMessage({ kind: "host", type: "list", fields: { secrets: false } })
  .then((reply) => performance.mark(reply?.ok ? "imapkey:list-host" : "imapkey:failed"), failed);
const tab = Number(new URLSearchParams(location.search).get("tab"));
api.scripting.executeScript({ target: { tabId: tab }, func: () => document.title })
  .then(() => performance.mark("imapkey:prefill"), failed);
"""
# Resolves once every named mark is set (a PerformanceObserver, no polling from outside: the
# extension's CSP forbids the eval Playwright's wait_for_function polls with); rejects on a
# ``failed`` mark or after 30 s.
MARKS_SET = """(names) => new Promise((resolve, reject) => {
  const has = (n) => performance.getEntriesByName(`imapkey:${n}`).length > 0;
  const look = () => {
    if (has("failed")) reject(new Error("the probe's request failed"));
    else if (names.every(has)) resolve(true);
    else return false;
    return true;
  };
  if (look()) return;
  const observer = new PerformanceObserver(() => { if (look()) observer.disconnect(); });
  observer.observe({ type: "mark" });
  setTimeout(() => reject(new Error(`no mark of ${names} within 30 s`)), 30000);
})"""
EMAIL = "demo.user@gmail.com"
TEMPS = ("cold", "warm")
LATER = 2.0  # seconds on the Google page before the popup, for ``later``


def floor_ms() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from pydantic import BaseModel"], check=True)
    return (time.perf_counter() - start) * 1000


def extension_copies(base: Path) -> dict[str, Path]:
    """Each kind's extension, all with the same key (so the same id the host serves): the one
    shipped; without ``warm.js``, plus an empty page; the probe, also without ``warm.js``."""
    unwarmed = base / "unwarmed"
    shutil.copytree(chromium.EXTENSION, unwarmed)
    manifest = json.loads((unwarmed / "manifest.json").read_text())
    del manifest["content_scripts"]
    (unwarmed / "manifest.json").write_text(json.dumps(manifest))
    (unwarmed / EMPTY_PAGE).write_text("<!doctype html><meta charset=utf-8><title>empty</title>\n")
    probe = base / "probe"
    shutil.copytree(unwarmed, probe)
    (probe / "popup.html").write_text(PROBE_PAGE)
    (probe / "probe.js").write_text(PROBE_SCRIPT)
    return {"empty": unwarmed, "popup": unwarmed, "probe": probe, "later": chromium.EXTENSION}


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
    page.evaluate(MARKS_SET, list(marks))
    found: dict[str, float] = page.evaluate(
        "Object.fromEntries(performance.getEntriesByType('mark')"
        ".map((m) => [m.name.replace('imapkey:', ''), m.startTime]))"
    )
    page.close()
    return found


WAITS = {
    "probe": ("list-host", "prefill"),
    "popup": ("list-host", "prefill", "list-full"),
    "later": ("list-host", "prefill", "list-full"),
}
LABELS = {
    "empty": "empty page of the extension (floor)",
    "prefill": "address prefilled from the Google page",
    "list-cache": "saved list shown from the cache",
    "list-host": "saved list from the host",
    "list-full": "the full list (which secrets the keyring holds)",
    "later prefill": "as shipped, popup opened 2 s after the page: prefilled",
    "later list-host": "as shipped, popup opened 2 s after the page: list from the host",
    "probe prefill": "probe: one script run in the Google tab",
    "probe list-host": "probe: the list from the host, nothing shown",
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
                kinds = list(extensions.items())
                for kind, extension in kinds[run % len(kinds) :] + kinds[: run % len(kinds)]:
                    profile = base / f"chromium-{run}-{kind}"
                    chromium.install_host(profile, env)
                    context = chromium.launch(
                        playwright, profile, env, standin.port, extension=extension
                    )
                    try:
                        tab_id = google_tab(context, standin)
                        if kind == "later":
                            time.sleep(LATER)
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

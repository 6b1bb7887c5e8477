"""Debian's Chromium, headless, with the unpacked extension and the real host (Playwright)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from imapkey.identity import identity
from support.services import require

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
CLI = Path(sys.executable).with_name("imapkey")


def install_host(user_data_dir: Path, env: dict[str, str]) -> None:
    """Register the host the way a user would, into this profile's own folder."""
    subprocess.run(
        [str(CLI), "install", "--dir", str(user_data_dir / "NativeMessagingHosts")],
        check=True,
        env=env,
        capture_output=True,
    )


def launch(
    playwright: Any,
    user_data_dir: Path,
    env: dict[str, str],
    standin_port: int | None = None,
    extension: Path = EXTENSION,
    lang: str | None = None,
) -> Any:
    """``lang``: the browser's UI language: ``--lang`` picks the extension's catalogue, and
    Playwright's ``locale`` the renderer's (i18n.getUILanguage, Intl), as one German browser
    would have both."""
    executable = require("chromium", "chromium")
    args = [
        f"--disable-extensions-except={extension}",
        f"--load-extension={extension}",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ]
    if lang is not None:
        args.append(f"--lang={lang}")
    if standin_port is not None:
        args += [
            f"--host-resolver-rules=MAP myaccount.google.com 127.0.0.1:{standin_port}",
            "--ignore-certificate-errors",
        ]
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=executable,
        headless=True,
        args=args,
        env=env,
        viewport={"width": 460, "height": 900},
        **({"locale": lang} if lang is not None else {}),
    )


def popup_url(tab_id: int | None = None) -> str:
    query = f"?tab={tab_id}" if tab_id is not None else ""
    return f"chrome-extension://{identity().chromium_id}/popup.html{query}"


def service_worker(context: Any) -> Any:
    workers = context.service_workers
    return workers[0] if workers else context.wait_for_event("serviceworker", timeout=15000)

"""End-to-end fixtures: the stand-in Google page, Playwright, a browser env reaching the
private keyring and trusting the test CA."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from support.certs import CertSet, issue
from support.dovecot import Dovecot
from support.standin import StandIn

DEMO_EMAIL = "demo@example.com"


@pytest.fixture(scope="session")
def standin(service_dir: Path, ca: trustme.CA) -> Iterator[StandIn]:
    certs = issue(service_dir / "certs-standin", "standin", ca, hosts=("myaccount.google.com",))
    page = StandIn(certs, DEMO_EMAIL, "Demo User", "abcdefghijklmnop")
    yield page
    page.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Any]:
    """Module-scoped: Playwright's sync API runs an event loop on this thread while it lives,
    which in-process asyncio code in later test modules must not find."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def browser_env(
    keyring_env: dict[str, str], good_certs: CertSet, dovecot: Dovecot
) -> dict[str, str]:
    """What the browser (and so the host it spawns) runs with."""
    return dict(keyring_env, IMAPKEY_CA_FILE=str(good_certs.ca_file))

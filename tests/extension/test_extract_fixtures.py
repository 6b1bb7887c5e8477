"""collect.js and extract.js on every fixture page, in real headless Chromium: the injected
``collect.js`` reads the DOM as rendered (innerText, CSS-only spacing), ``scanPage`` finds what
the user sees."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support.services import require

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
EXPECTED: dict[str, dict[str, Any]] = json.loads((FIXTURES / "expected.json").read_text())
EXTRACT = HERE.parents[1] / "extension" / "lib" / "extract.js"
COLLECT = HERE.parents[1] / "extension" / "lib" / "collect.js"


def _collect(page: Any) -> Any:
    """collect.js evaluated as executeScript runs a file: its last value is the result."""
    return page.evaluate(COLLECT.read_text())


@pytest.fixture(scope="module")
def browser(playwright: Any) -> Iterator[Any]:
    browser = playwright.chromium.launch(
        executable_path=require("chromium", "chromium"),
        headless=True,
        args=["--no-sandbox", "--disable-gpu"],
    )
    yield browser
    browser.close()


def _scan(browser: Any, fixture: Path) -> dict[str, Any]:
    """Load the page, collect with collect.js, scan with extract.js (made a plain script)."""
    page = browser.new_page()
    try:
        page.goto(fixture.as_uri())
        collected = _collect(page)
        source = (
            EXTRACT.read_text()
            .replace("export function", "function")
            .replace("export const", "const")
        )
        page.add_script_tag(content=source + "\nwindow.__extract = { scanPage };")
        found = page.evaluate("(c) => window.__extract.scanPage(c)", collected)
        return {"collected": collected, "found": found}
    finally:
        page.close()


def test_the_fixtures_cover_what_the_issue_asks() -> None:
    """Per-letter spans with and without separators, the older bar, six+ languages, two+
    non-Latin scripts, and a page with nothing to find."""
    structures = {e["structure"] for e in EXPECTED.values()}
    assert {"spans-css", "spans-space", "spans-nbsp", "older-bar", "nothing"} <= structures
    langs = {e["lang"] for e in EXPECTED.values()}
    assert len(langs) >= 6
    assert len(langs & {"ko", "ja", "ru", "ar", "zh"}) >= 2


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture(browser: Any, name: str) -> None:
    """The page's password (display form) and account address are found, or null when absent."""
    result = _scan(browser, FIXTURES / f"{name}.html")
    expected = EXPECTED[name]
    assert result["found"] == {"password": expected["password"], "email": expected["email"]}


def test_collect_leaves_nothing_behind(browser: Any) -> None:
    """The injected collector returns plain data and adds no global, listener target or node."""
    page = browser.new_page()
    try:
        page.goto((FIXTURES / "en-spans-css.html").as_uri())
        before = page.evaluate(
            "() => [Object.keys(window).length, document.querySelectorAll('*').length]"
        )
        collected = _collect(page)
        after = page.evaluate(
            "() => [Object.keys(window).length, document.querySelectorAll('*').length]"
        )
        assert before == after
        assert set(collected) == {"url", "text", "labels", "dialogs"}
        json.dumps(collected)  # plain, serialisable data only
    finally:
        page.close()

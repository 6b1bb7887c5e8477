"""axe-core (from npm, see package.json) run inside a page, WCAG 2.2 AA.

The extension page's CSP allows no inline or eval'd script, but Playwright's ``evaluate`` goes
through the DevTools protocol, which the page's CSP does not govern: axe's source is evaluated
that way, then ``axe.run`` on the whole document.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Every WCAG 2.x A and AA rule up to 2.2 (axe tags each rule with the version that added it).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@cache
def _source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    return AXE.read_text()


def violations(page: Any) -> list[dict[str, Any]]:
    """The WCAG 2.2 A/AA violations axe finds in ``page`` as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_source())
    result: dict[str, Any] = page.evaluate(
        "(tags) => axe.run(document, { runOnly: { type: 'tag', values: tags },"
        " resultTypes: ['violations'] })",
        TAGS,
    )
    return list(result["violations"])


def describe(found: list[dict[str, Any]]) -> str:
    """One line per failing node: rule, impact, selector, what axe says to fix."""
    lines = []
    for violation in found:
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {json.dumps(node['target'])}: "
                f"{node.get('failureSummary', '').replace(chr(10), ' ')}"
            )
    return "\n".join(lines)


def assert_clean(page: Any, state: str) -> None:
    """No WCAG 2.2 AA violation in the page's current state."""
    found = violations(page)
    assert not found, f"axe-core found WCAG 2.2 AA violations in the {state} state:\n" + describe(
        found
    )

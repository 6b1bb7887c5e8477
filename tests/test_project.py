"""Project-wide consistency: documented codes and ops, one version everywhere."""

from __future__ import annotations

import json
from pathlib import Path

from imapkey import __version__, errors
from imapkey.identity import extension_manifest_path
from imapkey.ops import OPS

ROOT = Path(__file__).resolve().parents[1]


def test_every_error_code_is_documented() -> None:
    """docs/PROTOCOL.md names every stable error code."""
    text = (ROOT / "docs" / "PROTOCOL.md").read_text()
    missing = [code for code in errors.CODES if f"`{code}`" not in text]
    assert missing == []


def test_every_outcome_is_documented() -> None:
    """docs/PROTOCOL.md names every check outcome."""
    from imapkey.prober.outcomes import OUTCOMES

    text = (ROOT / "docs" / "PROTOCOL.md").read_text()
    assert [code for code in OUTCOMES if f"| `{code}` |" not in text] == []


def test_error_codes_are_unique() -> None:
    """No code appears twice in the append-only list."""
    assert len(set(errors.CODES)) == len(errors.CODES)


def test_every_op_is_documented() -> None:
    """docs/PROTOCOL.md has a section for every operation the host serves."""
    text = (ROOT / "docs" / "PROTOCOL.md").read_text()
    assert [op for op in OPS if f"### `{op}`" not in text] == []


def test_extension_version_matches_package() -> None:
    """The extension and the host are released together under one version."""
    manifest = json.loads(extension_manifest_path().read_text())
    assert manifest["version"] == __version__

"""The popup's catalogues (extension/_locales) cover every stable code, in English and German.

The popup recognises the host's English by its code (extension/lib/i18n.js): the English
catalogue must hold each outcome's default words exactly as outcomes.py has them, and every
language must have every code. A new outcome or error code fails here until it has both.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from imapkey import errors
from imapkey.prober.outcomes import _DEFAULTS, OUTCOMES

EXTENSION = Path(__file__).resolve().parents[2] / "extension"
LANGUAGES = ("en", "de")


def catalogue(lang: str) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads(
        (EXTENSION / "_locales" / lang / "messages.json").read_text(encoding="utf-8")
    )
    return data


def extension_codes() -> list[str]:
    """The error codes the extension makes itself (lib/rpc.js, lib/requests.js)."""
    source = (EXTENSION / "lib" / "rpc.js").read_text() + (
        EXTENSION / "lib/requests.js"
    ).read_text()
    return re.findall(r'export const [A-Z_]+ = "([a-z_]+)";', source)


def _missing(keys: dict[str, str], lang: str) -> str:
    entries = {key: {"message": text} for key, text in keys.items()}
    return (
        f"extension/_locales/{lang}/messages.json lacks {', '.join(keys)}. Add"
        + (" (translated)" if lang != "en" else "")
        + ":\n"
        + json.dumps(entries, indent=2, ensure_ascii=False)[1:-1]
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_outcome_has_its_words(lang: str) -> None:
    """Each code in OUTCOMES has a message and a hint in this language."""
    have = catalogue(lang)
    wanted: dict[str, str] = {}
    for code in OUTCOMES:
        wanted[f"outcome_{code}_message"] = _DEFAULTS[code].message
        wanted[f"outcome_{code}_hint"] = _DEFAULTS[code].hint
    absent = {k: v for k, v in wanted.items() if not have.get(k, {}).get("message")}
    assert not absent, _missing(absent, lang)


def test_english_holds_each_outcome_default_word_for_word() -> None:
    """The popup finds an outcome's default words by comparing with English: they must match."""
    english = catalogue("en")
    for code in OUTCOMES:
        for field in ("message", "hint"):
            key = f"outcome_{code}_{field}"
            host = getattr(_DEFAULTS[code], field)
            assert english.get(key, {}).get("message") == host, (
                f"{key} in extension/_locales/en/messages.json differs from outcomes.py "
                f"(change both, and the German): set its message to {json.dumps(host)}"
            )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_error_code_has_its_words(lang: str) -> None:
    """Each code in errors.CODES and each the extension makes has a message and a hint."""
    codes = [*errors.CODES, *extension_codes()]
    assert {"host_missing", "host_exited", "request_timeout", "request_refused"} <= set(codes)
    have = catalogue(lang)
    keys = [f"error_{code}_{field}" for code in codes for field in ("message", "hint")]
    absent = {k: "…" for k in keys if not have.get(k, {}).get("message")}
    assert not absent, _missing(absent, lang)

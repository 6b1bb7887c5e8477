"""Discovery's answers kept between processes (``$XDG_CACHE_HOME/imapkey/discovery.json``).

The browser starts a new host after the popup has been closed for a minute, and every CLI run is
a new process: without this each would pay the look-ups again. Only public facts are kept (the
domain and the server found), in a file readable by the user alone, at most ``MAX_ENTRIES``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from imapkey.prober.providers import PROVIDERS, Endpoint, Suggestion

MAX_ENTRIES = 200
_BY_ID = {p.id: p for p in PROVIDERS}


def path() -> Path:
    import platformdirs

    return platformdirs.user_cache_path("imapkey", appauthor=False) / "discovery.json"


def _endpoint(raw: Any) -> Endpoint | None:
    if not isinstance(raw, dict):
        return None
    return Endpoint(
        str(raw["host"]), int(raw["port"]), "tls" if raw["security"] == "tls" else "starttls"
    )


def _load(raw: dict[str, Any]) -> Suggestion:
    provider = _BY_ID.get(raw.get("provider") or "")
    return Suggestion(
        provider,
        str(raw["host"]),
        int(raw["port"]),
        "tls" if raw["security"] == "tls" else "starttls",
        raw["source"],
        tuple(str(n) for n in raw["notes"]),
        confirm=bool(raw["confirm"]),
        name=raw.get("name"),
        submission=_endpoint(raw.get("submission")),
    )


def _dump(found: Suggestion) -> dict[str, Any]:
    sub = found.submission
    return {
        "provider": found.provider.id if found.provider else None,
        "host": found.host,
        "port": found.port,
        "security": found.security,
        "source": found.source,
        "notes": list(found.notes),
        "confirm": found.confirm,
        "name": found.name,
        "submission": {"host": sub.host, "port": sub.port, "security": sub.security}
        if sub
        else None,
    }


def get(key: tuple[object, ...]) -> Suggestion | None:
    """The cached answer for ``key`` if it has not expired; any damage reads as a miss."""
    from imapkey.storage import read_json

    data = read_json(path())
    entry = data.get(json.dumps(key)) if isinstance(data, dict) else None
    if not isinstance(entry, dict) or entry.get("expires", 0) < time.time():
        return None
    try:
        return _load(entry["suggestion"])
    except (KeyError, TypeError, ValueError):
        return None


def put(key: tuple[object, ...], found: Suggestion, ttl: float) -> None:
    """Remember ``found`` for ``ttl`` seconds; a cache that cannot be written is skipped."""
    from imapkey.storage import locked, read_json, write_json

    target = path()
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with locked(target):
            data = read_json(target)
            now = time.time()
            entries = {
                k: v
                for k, v in (data.items() if isinstance(data, dict) else [])
                if isinstance(v, dict) and v.get("expires", 0) > now
            }
            entries[json.dumps(key)] = {"expires": now + ttl, "suggestion": _dump(found)}
            newest = sorted(entries.items(), key=lambda kv: kv[1]["expires"])[-MAX_ENTRIES:]
            write_json(target, dict(newest))
    except OSError:
        return

"""Who spawned the host, read from argv the way each browser passes it, and whether to serve it.

Chromium passes ``chrome-extension://<id>/`` as argv[1] (and on Windows ``--parent-window=``
after it); Firefox passes the host manifest's path and the extension id. Anything else the
browser may add is ignored. The manifests' allow-lists are the browser's guard; this is ours.
"""

from __future__ import annotations

from dataclasses import dataclass

from imapkey.identity import extra_ids, identity, shipped_ids

_CHROME_PREFIX = "chrome-extension://"


@dataclass(frozen=True)
class Caller:
    """The calling extension: ``browser`` is "chromium", "firefox" or "unknown"."""

    browser: str
    extension_id: str | None


def caller_from_argv(args: list[str]) -> Caller:
    """Read the caller from the host's arguments (argv without the program name)."""
    positional = [a for a in args if not a.startswith("--")]
    for arg in positional:
        if arg.startswith(_CHROME_PREFIX):
            ext_id = arg.removeprefix(_CHROME_PREFIX).rstrip("/")
            return Caller("chromium", ext_id or None)
    if len(positional) >= 2 and positional[0].endswith(".json"):
        return Caller("firefox", positional[1] or None)
    return Caller("unknown", None)


def is_allowed(caller: Caller) -> bool:
    """Serve the ids in the shipped list (per browser), those the user added with
    ``imapkey install --extension-id``, and ids allowed for development."""
    if caller.extension_id is None:
        return False
    chromium, gecko = shipped_ids()
    if caller.browser == "chromium" and caller.extension_id in chromium:
        return True  # the common case, decided without reading the user's config
    if caller.browser == "firefox" and caller.extension_id in gecko:
        return True
    ids = identity()
    if caller.browser == "chromium" and caller.extension_id in ids.chromium_ids:
        return True
    if caller.browser == "firefox" and caller.extension_id in ids.gecko_ids:
        return True
    return caller.extension_id in extra_ids()

"""The command line's exit statuses: one table, kept by every command.

Scripts and mail clients' password commands branch on these, so a number never changes
meaning. ``TABLE`` is what ``imapkey --help`` and the README show.
"""

from __future__ import annotations

OK = 0
FAILED = 1  # the check failed, nothing was saved, or no such account
USAGE = 2  # a bad argument, or a refusal to go on without a terminal or --yes
STORAGE = 3  # the keyring is unavailable or locked, or a file could not be read or written
UNREACHABLE = 4  # the server could not be reached or did not answer in time
INTERNAL = 5  # a bug in imapkey: the details are in its log
INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
PIPE_CLOSED = 141  # the reader of stdout went away (128 + SIGPIPE, as shells report it)

TABLE: tuple[tuple[int, str], ...] = (
    (OK, "it worked (the login succeeded, the account was saved or found)"),
    (FAILED, "the check failed, nothing was saved, or there is no such account"),
    (USAGE, "bad arguments, or refused to go on (no terminal to ask on, no --yes)"),
    (STORAGE, "the keyring is unavailable or locked, or a file could not be read or written"),
    (UNREACHABLE, "the server could not be reached or did not answer in time"),
    (INTERNAL, "a bug in imapkey (details in its log)"),
    (INTERRUPTED, "interrupted with Ctrl-C"),
    (PIPE_CLOSED, "the program reading the output stopped early"),
)

# Check outcomes that say the server was never reached (or never answered), not that it refused.
_UNREACHABLE_OUTCOMES = frozenset(
    {
        "dns_failed",
        "connection_refused",
        "connect_timeout",
        "greeting_timeout",
        "timeout",
        "connection_lost",
    }
)

_BY_ERROR_CODE = {
    "invalid_request": USAGE,
    "server_unconfirmed": USAGE,  # refused to go on: a guessed server nobody confirmed
    "account_not_found": FAILED,
    "keyring_unavailable": STORAGE,
    "keyring_locked": STORAGE,
    "storage_error": STORAGE,
    "cancelled": INTERRUPTED,
    "internal_error": INTERNAL,
}


def for_outcome(outcome: str) -> int:
    """The status for a check's outcome code."""
    if outcome == "ok":
        return OK
    return UNREACHABLE if outcome in _UNREACHABLE_OUTCOMES else FAILED


def for_error(code: str) -> int:
    """The status for an ImapkeyError's stable code."""
    return _BY_ERROR_CODE.get(code, INTERNAL)


def worst(statuses: list[int]) -> int:
    """One status for several checks: a refusal beats unreachable, which beats success."""
    for status in (FAILED, UNREACHABLE):
        if status in statuses:
            return status
    return max(statuses, default=OK)


def epilog() -> str:
    rows = "\n".join(f"  {code:>3}  {meaning}" for code, meaning in TABLE)
    return "exit status:\n" + rows

"""The one exception base, and the stable error codes every boundary translates into.

Codes are part of the protocol: they are only ever appended to ``CODES``, never renamed or
removed, so an extension built against an older host still understands every answer.
"""

from __future__ import annotations

# Protocol codes, in the order they were introduced. Append only.
BAD_JSON = "bad_json"
INVALID_REQUEST = "invalid_request"
UNKNOWN_TYPE = "unknown_type"
UNSUPPORTED_VERSION = "unsupported_version"
MESSAGE_TOO_LARGE = "message_too_large"
ORIGIN_DENIED = "origin_denied"
INTERNAL_ERROR = "internal_error"
REPLY_TOO_LARGE = "reply_too_large"
CANCELLED = "cancelled"
KEYRING_UNAVAILABLE = "keyring_unavailable"
KEYRING_LOCKED = "keyring_locked"
STORAGE_ERROR = "storage_error"
ACCOUNT_NOT_FOUND = "account_not_found"
# Only a guess names the server: no password is sent until the user confirms it (issue 9.4).
SERVER_UNCONFIRMED = "server_unconfirmed"

CODES: tuple[str, ...] = (
    BAD_JSON,
    INVALID_REQUEST,
    UNKNOWN_TYPE,
    UNSUPPORTED_VERSION,
    MESSAGE_TOO_LARGE,
    ORIGIN_DENIED,
    INTERNAL_ERROR,
    REPLY_TOO_LARGE,
    CANCELLED,
    KEYRING_UNAVAILABLE,
    KEYRING_LOCKED,
    STORAGE_ERROR,
    ACCOUNT_NOT_FOUND,
    SERVER_UNCONFIRMED,
)


class ImapkeyError(Exception):
    """Base of every error imapkey raises on purpose.

    It carries a stable ``code``, a plain-language ``message`` and a ``hint`` with the fix.
    Neither may ever contain a secret: they travel to the browser, the terminal and the log.
    """

    code: str = INTERNAL_ERROR

    def __init__(self, message: str, hint: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.hint = hint

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"


class ProtocolError(ImapkeyError):
    """A request that cannot be served as sent; the port stays usable unless said otherwise."""

"""Secrets in the operating system's keyring, through Python ``keyring``.

Scheme, readable by other tools: service ``imapkey/<IMAP host>``, username the address.
    keyring get imapkey/imap.gmail.com someone@gmail.com
    secret-tool lookup service imapkey/imap.gmail.com username someone@gmail.com
Every keyring failure is translated into ``keyring_unavailable``, ``keyring_locked`` or
``storage_error`` with what to do; the secret never appears in any message.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

from imapkey.errors import KEYRING_LOCKED, KEYRING_UNAVAILABLE, STORAGE_ERROR, ImapkeyError

SERVICE_PREFIX = "imapkey/"
T = TypeVar("T")


def service_name(host: str) -> str:
    return SERVICE_PREFIX + host.strip().lower()


def _install_hint() -> str:
    if sys.platform.startswith("linux"):
        return (
            "Install and start a Secret Service provider (GNOME Keyring: apt-get install "
            "gnome-keyring; or KWallet) inside your desktop session, so that "
            "DBUS_SESSION_BUS_ADDRESS reaches it."
        )
    return "Make sure the system keychain is available to this user."


def _guard(action: Callable[[], T]) -> T:
    import keyring.errors
    from keyring.backends import fail

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # backend detection itself failed (e.g. a dead D-Bus session)
        raise ImapkeyError(
            f"The system keyring could not be reached ({type(exc).__name__}).",
            _install_hint(),
            code=KEYRING_UNAVAILABLE,
        ) from None
    if isinstance(backend, fail.Keyring):
        raise ImapkeyError(
            "No usable system keyring was found, so nothing can be stored or read.",
            _install_hint(),
            code=KEYRING_UNAVAILABLE,
        )
    from imapkey.vault import backend_memo

    backend_memo.remember(backend)
    try:
        return action()
    except keyring.errors.KeyringLocked:
        raise ImapkeyError(
            "The keyring is locked (or unlocking it was dismissed).",
            "Unlock your keyring (log in to the desktop session, or accept the unlock prompt) "
            "and try again.",
            code=KEYRING_LOCKED,
        ) from None
    except keyring.errors.NoKeyringError:
        raise ImapkeyError(
            "No usable system keyring was found.", _install_hint(), code=KEYRING_UNAVAILABLE
        ) from None
    except keyring.errors.InitError as exc:
        raise ImapkeyError(
            f"The keyring could not be reached ({type(exc).__name__}).",
            _install_hint(),
            code=KEYRING_UNAVAILABLE,
        ) from None
    except Exception as exc:  # any backend failure: its text may quote a secret, never show it
        raise ImapkeyError(
            f"The keyring failed ({type(exc).__name__}); nothing was changed.",
            "Check that the keyring service is running and not full, then try again.",
            code=STORAGE_ERROR,
        ) from None


def get(email: str, host: str) -> str | None:
    import keyring

    return _guard(lambda: keyring.get_password(service_name(host), email.strip()))


def put(email: str, host: str, secret: str) -> None:
    import keyring

    _guard(lambda: keyring.set_password(service_name(host), email.strip(), secret))


def remove(email: str, host: str) -> bool:
    """Delete the secret; False when there was none."""
    import keyring
    import keyring.errors

    def delete() -> bool:
        try:
            keyring.delete_password(service_name(host), email.strip())
        except keyring.errors.PasswordDeleteError:
            return False
        return True

    return _guard(delete)


def stored_items() -> set[tuple[str, str]] | None:
    """``(host, address)`` of every imapkey secret, found with one keyring search and without
    reading any secret; None where the backend cannot search (then ask per account).

    It lets ``list`` say which accounts lost their secret, and find secrets that lost their
    account (a crash between the two writes of a save, a save racing a delete). While keyring
    is remembered to use the Secret Service, the search is made without keyring (fast: see
    ``backend_memo``); otherwise, or when that search cannot answer, keyring makes it.
    """
    quick = _stored_items_quick()
    if quick is not None:
        return quick
    import keyring

    def search() -> set[tuple[str, str]] | None:
        from keyring.backends import SecretService

        backend = keyring.get_keyring()
        if not isinstance(backend, SecretService.Keyring):
            return None
        collection = backend.get_preferred_collection()  # type: ignore[no-untyped-call]
        scheme = backend.schemes[backend.scheme]
        try:
            items = [
                i.get_attributes() for i in collection.search_items({"application": backend.appid})
            ]
        finally:
            collection.connection.close()
        return _imapkey_items(items, scheme["service"], scheme["username"])

    return _guard(search)


def _stored_items_quick() -> set[tuple[str, str]] | None:
    from imapkey.vault import backend_memo, secret_service

    memo = backend_memo.recall()
    if memo is None:
        return None
    items = secret_service.search({"application": memo["appid"]}, memo["collection"])
    if items is None:
        return None
    return _imapkey_items(items, memo["service_attribute"], memo["username_attribute"])


def _imapkey_items(
    items: list[dict[str, str]], service_attribute: str, username_attribute: str
) -> set[tuple[str, str]]:
    """``(host, address)`` of the items that are imapkey's."""
    found: set[tuple[str, str]] = set()
    for attributes in items:
        service = attributes.get(service_attribute, "")
        username = attributes.get(username_attribute, "")
        if service.startswith(SERVICE_PREFIX) and username:
            found.add((service.removeprefix(SERVICE_PREFIX), username))
    return found


def backend_name() -> str:
    import keyring

    from imapkey.vault.backend_memo import qualified_name

    return qualified_name(keyring.get_keyring())

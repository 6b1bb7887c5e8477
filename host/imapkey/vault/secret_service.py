"""A read-only search of the Secret Service over D-Bus, without Python keyring.

``list`` needs to know which imapkey secrets exist, never a secret itself. Where keyring is
remembered to use the Secret Service (``backend_memo``), this asks the same collection object
keyring's backend asks (secretstorage's ``Collection``: the preferred one, else the "default"
alias) with jeepney (keyring's own D-Bus library on Linux), in three exchanges on the bus:
connect; the collection's ``Locked`` and its ``SearchItems`` together; then every item's
attributes together, however many accounts there are. Whenever the answer could differ from
keyring's (a locked collection, which keyring would unlock first and some services do not
search at all; a collection that does not exist, which keyring would create or refuse; any
error), it answers None and the caller asks keyring.
"""

from __future__ import annotations

from typing import Any

BUS_NAME = "org.freedesktop.secrets"
DEFAULT_COLLECTION = "/org/freedesktop/secrets/aliases/default"  # as secretstorage
TIMEOUT = 1.0  # seconds for the whole search; past that, keyring's own path decides


def search(
    attributes: dict[str, str], collection: str | None, timeout: float = TIMEOUT
) -> list[dict[str, str]] | None:
    """The attributes of every item matching ``attributes`` in ``collection`` (by default the
    "default" alias), or None when only keyring can answer."""
    try:
        return _search(attributes, collection or DEFAULT_COLLECTION, timeout)
    except Exception:  # no session bus, no service, a malformed answer: keyring will explain
        return None


def _search(attributes: dict[str, str], path: str, timeout: float) -> list[dict[str, str]] | None:
    import time

    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    deadline = time.monotonic() + timeout

    def get(obj: str, interface: str, name: str) -> Any:
        address = DBusAddress(obj, bus_name=BUS_NAME, interface="org.freedesktop.DBus.Properties")
        return new_method_call(address, "Get", "ss", (interface, name))

    collection = DBusAddress(path, bus_name=BUS_NAME, interface="org.freedesktop.Secret.Collection")
    with open_dbus_connection(bus="SESSION", auth_timeout=timeout) as conn:
        replies = _exchange(
            conn,
            [
                get(path, "org.freedesktop.Secret.Collection", "Locked"),
                new_method_call(collection, "SearchItems", "a{ss}", (attributes,)),
            ],
            deadline,
        )
        if replies is None:
            return None
        (locked,), (items,) = replies
        if locked != ("b", False):
            return None
        gets = [get(item, "org.freedesktop.Secret.Item", "Attributes") for item in items]
        answers = _exchange(conn, gets, deadline)
    if answers is None:
        return None
    found = []
    for ((signature, value),) in answers:
        if signature != "a{ss}" or not isinstance(value, dict):
            return None
        found.append(value)
    return found


def _exchange(conn: Any, calls: list[Any], deadline: float) -> list[tuple[Any, ...]] | None:
    """Send every call at once, then take the replies as they come: one wait on the bus for
    all of them. None if any call failed."""
    import time

    from jeepney import HeaderFields, MessageType

    serials = []
    for call in calls:
        serial = next(conn.outgoing_serial)
        conn.send(call, serial=serial)
        serials.append(serial)
    replies: dict[int, Any] = {}
    while len(replies) < len(serials):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        message = conn.receive(timeout=remaining)
        reply_to = message.header.fields.get(HeaderFields.reply_serial)
        if reply_to in serials:
            if message.header.message_type == MessageType.error:
                return None
            replies[reply_to] = message.body
    return [replies[s] for s in serials]

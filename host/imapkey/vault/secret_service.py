"""A read-only search of the Secret Service over D-Bus, without Python keyring.

``list`` needs to know which imapkey secrets exist, never a secret itself. Where keyring is
remembered to use the Secret Service (``backend_memo``), this asks the same collection for the
same items keyring would find, with jeepney (keyring's own D-Bus library on Linux) and three
exchanges on the bus: connect, search and find the collection together, then every item's
attributes together, however many accounts there are. Whenever the answer could differ from
keyring's (a locked item, which keyring would unlock first; no default collection, which
keyring would create; any error), it answers None and the caller asks keyring.
"""

from __future__ import annotations

from typing import Any

BUS_NAME = "org.freedesktop.secrets"
SERVICE_PATH = "/org/freedesktop/secrets"
TIMEOUT = 1.0  # seconds for the whole search; past that, keyring's own path decides


def search(
    attributes: dict[str, str], collection: str | None, timeout: float = TIMEOUT
) -> list[dict[str, str]] | None:
    """The attributes of every item matching ``attributes`` in ``collection`` (by default the
    "default" alias), or None when only keyring can answer."""
    import time

    from jeepney import DBusAddress, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    deadline = time.monotonic() + timeout
    service = DBusAddress(
        SERVICE_PATH, bus_name=BUS_NAME, interface="org.freedesktop.Secret.Service"
    )
    try:
        with open_dbus_connection(bus="SESSION", auth_timeout=timeout) as conn:
            calls = [new_method_call(service, "SearchItems", "a{ss}", (attributes,))]
            if collection is None:
                calls.append(new_method_call(service, "ReadAlias", "s", ("default",)))
            replies = _exchange(conn, calls, deadline)
            if replies is None:
                return None
            unlocked, locked = replies[0]
            path = collection if collection is not None else replies[1][0]
            if path == "/":
                return None

            def inside(item: str) -> bool:
                return item.startswith(path.rstrip("/") + "/")

            if any(inside(item) for item in locked):
                return None
            wanted = [item for item in unlocked if inside(item)]
            gets = [
                new_method_call(
                    DBusAddress(
                        item, bus_name=BUS_NAME, interface="org.freedesktop.DBus.Properties"
                    ),
                    "Get",
                    "ss",
                    ("org.freedesktop.Secret.Item", "Attributes"),
                )
                for item in wanted
            ]
            answers = _exchange(conn, gets, deadline)
    except Exception:  # no session bus, no service, a malformed answer: keyring will explain
        return None
    if answers is None:
        return None
    found = []
    for (signature, value), *_ in answers:
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

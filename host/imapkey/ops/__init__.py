"""The operations, shared by the native host and the CLI.

``OPS`` maps each protocol ``type`` to the module that serves it. Modules are imported only when
their operation is asked for, so ``hello`` never pays for IMAP, TLS or keyring code.
Each module defines ``Params`` (a pydantic model of the request's own fields) and
``run(params, ctx) -> dict``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from imapkey.prober.models import ServerSettings

OPS: dict[str, str] = {
    "hello": "imapkey.ops.hello",
    "check": "imapkey.ops.check",
    "suggest": "imapkey.ops.suggest",
    "save": "imapkey.ops.save",
    "list": "imapkey.ops.list_accounts",
    "delete": "imapkey.ops.delete",
    "recheck": "imapkey.ops.recheck",
}

# Operations that answer from this machine alone. They run on a lane of their own, so a
# browser's ``hello`` or ``list`` is answered at once even while every network worker is
# busy with slow servers; every other operation may wait on the network.
QUICK_OPS: frozenset[str] = frozenset({"hello", "list", "delete"})


@dataclass
class Context:
    """What an operation may know about the request it serves."""

    caller: str = "cli"
    cancelled: threading.Event = field(default_factory=threading.Event)


def refuse_browser_ca_file(server: ServerSettings | None, ctx: Context) -> None:
    """A CA file makes the host trust certificates of its issuer's choosing: only the user at
    the command line (or $IMAPKEY_CA_FILE) may name one, never a message from the browser."""
    if server is not None and server.ca_file is not None and ctx.caller != "cli":
        from imapkey.errors import INVALID_REQUEST, ProtocolError

        raise ProtocolError(
            "server.ca_file is not accepted from the browser.",
            "To trust a private server's CA, set IMAPKEY_CA_FILE for the host, or check and "
            "save the account with imapkey --ca-file at the command line.",
            code=INVALID_REQUEST,
        )

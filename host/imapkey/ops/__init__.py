"""The operations, shared by the native host and the CLI.

``OPS`` maps each protocol ``type`` to the module that serves it. Modules are imported only when
their operation is asked for, so ``hello`` never pays for IMAP, TLS or keyring code.
Each module defines ``Params`` (a pydantic model of the request's own fields) and
``run(params, ctx) -> dict``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

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

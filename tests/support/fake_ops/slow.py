"""A test-only operation that waits until released or cancelled."""

from __future__ import annotations

import threading
from typing import Any

from pydantic import BaseModel

from imapkey.ops import Context

release = threading.Event()


class Params(BaseModel):
    pass


def run(params: Params, ctx: Context) -> dict[str, Any]:
    while not release.wait(0.01):
        if ctx.cancelled.is_set():
            return {"cancelled": True}
    return {"released": True}

"""``hello``: who this host is and what it serves. Touches no keyring and no network."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from imapkey import __version__
from imapkey.ops import OPS, Context
from imapkey.protocol import PROTOCOL_VERSION


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")


def run(params: Params, ctx: Context) -> dict[str, Any]:
    return {"protocol": PROTOCOL_VERSION, "version": __version__, "ops": sorted(OPS)}

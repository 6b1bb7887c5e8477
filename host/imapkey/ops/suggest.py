"""``suggest``: the IMAP settings for an address, saying where they came from.

Well-known providers answer from the table; other domains are discovered (autoconfig, ISPDB,
SRV, MX) within about 2 s. ``confirm`` marks a server nothing vouches for: no password may go
there before the user has confirmed it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from imapkey.ops import Context
from imapkey.prober.models import Email
from imapkey.prober.providers import suggest


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    # False keeps the domain from being sent to Mozilla's ISPDB (the extension's setting).
    lookup: bool = True


def run(params: Params, ctx: Context) -> dict[str, Any]:
    found = suggest(params.email, params.lookup)
    provider = found.provider
    submission = found.submission
    return {
        "provider": provider.id if provider else None,
        "name": found.name or (provider.name if provider else None),
        "server": {"host": found.host, "port": found.port, "security": found.security},
        "source": found.source,
        "confirm": found.confirm,
        "submission": (
            {"host": submission.host, "port": submission.port, "security": submission.security}
            if submission
            else None
        ),
        "accepts_app_passwords": provider.accepts_app_passwords if provider else True,
        "app_password_link": provider.app_password_link if provider else None,
        "notes": list(found.notes),
    }

"""``check``: try the credentials against the real server and say exactly how it went.

Without a password, the saved account's stored secret is used with the saved settings, and
its result recorded. Such a request names the account (``email``, and ``host`` when there
are several) and nothing else: a stored password never goes where a request points.

``smtp`` checks sending at the same time (``true``: the provider's sending server, or the
saved one without a password; an object: that server), and adds ``smtp``/``smtp_error``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, StrictBool

from imapkey.errors import INVALID_REQUEST, ProtocolError
from imapkey.ops import Context, refuse_browser_ca_file
from imapkey.prober import DEFAULT_TIMEOUT, check
from imapkey.prober.models import Email, ServerSettings


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    password: SecretStr | None = None
    server: ServerSettings | None = None
    host: str | None = Field(default=None, min_length=1, max_length=253)
    timeout: float = Field(default=DEFAULT_TIMEOUT, gt=0, le=120)
    force: bool = False
    smtp: StrictBool | ServerSettings = False


def run(params: Params, ctx: Context) -> dict[str, Any]:
    refuse_browser_ca_file(params.server, ctx)
    if isinstance(params.smtp, ServerSettings):
        refuse_browser_ca_file(params.smtp, ctx)
    if params.password is None:
        if params.server is not None or isinstance(params.smtp, ServerSettings):
            raise ProtocolError(
                "A check with the saved password uses the saved settings; a server cannot be "
                "given with it.",
                'Name the saved account with "email" and "host", or send a "password" to '
                "check other settings.",
                code=INVALID_REQUEST,
            )
        from imapkey.vault import accounts

        if params.smtp:
            both = accounts.check_stored_both(
                params.email, params.host, params.timeout, params.force, ctx.cancelled
            )
            return check.dump_pair(*both)
        stored = accounts.check_stored(
            params.email, params.host, params.timeout, params.force, ctx.cancelled
        )
        return stored.model_dump(mode="json")
    if params.host is not None:
        raise ProtocolError(
            '"host" names a saved account, for a check without a password.',
            'To check a password against a server, send "server": {host, port, security}.',
            code=INVALID_REQUEST,
        )
    request = check.CheckRequest(
        email=params.email,
        password=params.password,
        server=params.server,
        timeout=params.timeout,
        force=params.force,
    )
    if not params.smtp:
        return check.run(request, ctx.cancelled).model_dump(mode="json")
    from imapkey.errors import ImapkeyError
    from imapkey.vault.accounts import sending_settings

    try:
        outgoing = sending_settings(params.email, params.smtp)
    except ImapkeyError as exc:
        return check.dump_pair(check.run(request, ctx.cancelled), exc)
    assert outgoing is not None
    sending = check.CheckRequest(
        params.email, params.password, outgoing, params.timeout, params.force, "smtp"
    )
    return check.dump_pair(*check.run_pair(request, sending, ctx.cancelled))

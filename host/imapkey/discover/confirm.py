"""A server nothing vouches for is used only once the user has confirmed it.

Used by the host (which refuses outright: the popup asks the user itself) and by the CLI (which
asks on a terminal, or refuses and names the flag that confirms).
"""

from __future__ import annotations

from collections.abc import Callable

from imapkey.errors import SERVER_UNCONFIRMED, ImapkeyError
from imapkey.prober.models import ServerSettings
from imapkey.prober.providers import Suggestion, suggest


def unconfirmed(found: Suggestion, protocol: str = "imap") -> ImapkeyError:
    if protocol == "smtp":
        host = found.submission.host if found.submission else found.host
        return ImapkeyError(
            f"{host} is only a guess at this address's sending (SMTP) server: imapkey sends "
            "no password to a server nobody has confirmed.",
            f"If {host} is right, name it: --smtp-host {host} on the command line, or "
            "confirm it in the extension (Advanced). Otherwise enter your provider's server.",
            code=SERVER_UNCONFIRMED,
        )
    return ImapkeyError(
        f"{found.host} is only a guess at this address's IMAP server: imapkey sends no "
        "password to a server nobody has confirmed.",
        f"If {found.host} is right, name it: --host {found.host} on the command line, or "
        "confirm it in the extension (Advanced). Otherwise enter your provider's server.",
        code=SERVER_UNCONFIRMED,
    )


def choose(
    email: str, lookup: bool = True, ask: Callable[[Suggestion], bool] | None = None
) -> ServerSettings:
    """The suggested server for ``email``, once it is trusted or ``ask`` says yes."""
    found = suggest(email, lookup)
    if found.confirm and (ask is None or not ask(found)):
        raise unconfirmed(found)
    return ServerSettings(host=found.host, port=found.port, security=found.security)


def ask_on_terminal(found: Suggestion) -> bool:
    """Ask on the terminal (stderr, so stdout stays clean); anything but yes is no."""
    import sys

    sys.stderr.write(
        f"{found.host} port {found.port} ({found.security}) is only a guess at the IMAP "
        "server.\n"
        + "".join(f"  - {note}\n" for note in found.notes)
        + f"Send your password to {found.host}? [y/N] "
    )
    sys.stderr.flush()
    return sys.stdin.readline().strip().lower() in {"y", "yes"}


def for_cli(email: str, interactive: bool) -> ServerSettings | None:
    """None when the suggestion is trusted (the check finds it again, from the cache); the
    confirmed server when it is a guess and the user said yes; raises otherwise (a malformed
    address: ValidationError, before any look-up)."""
    from pydantic import TypeAdapter

    from imapkey.prober.models import Email

    email = TypeAdapter(Email).validate_python(email)
    found = suggest(email)
    if not found.confirm:
        return None
    return choose(email, ask=ask_on_terminal if interactive else None)

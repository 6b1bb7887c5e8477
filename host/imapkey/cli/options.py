"""What several commands share: their options (checked before anything is asked or sent),
the password prompt, and the confirmation prompt.

Arguments are validated while parsing, so a bad address or timeout is refused before the
password is asked for, in words meant for people rather than a validator's.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import TYPE_CHECKING

from imapkey.cli.render import safe
from imapkey.errors import INVALID_REQUEST, ImapkeyError

if TYPE_CHECKING:
    from pydantic import SecretStr

    from imapkey.prober.models import ServerSettings

DEFAULT_PORTS = {"tls": 993, "starttls": 143}
SMTP_PORTS = {"tls": 465, "starttls": 587}
DEFAULT_TIMEOUT = 15.0
MAX_TIMEOUT = 120.0  # the protocol's limit for a check's timeout
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class UsageError(ImapkeyError):
    """The command cannot go on as typed (exit status 2): a bad argument, or a refusal."""

    code = INVALID_REQUEST


# --- Argument types: each raises ArgumentTypeError with a sentence for people -------------


def email(value: str) -> str:
    """An address by the protocol's own rules (``prober.models.check_email``): the same value
    is refused here as over the native port, before any prompt."""
    from imapkey.prober.models import check_email

    address = value.strip()
    if len(address) > 254 or not _EMAIL.match(address):
        raise argparse.ArgumentTypeError(
            f"'{safe(value)}' is not an email address (expected name@domain, like you@gmail.com)"
        )
    try:
        return check_email(address)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            f"'{safe(value)}' is not an email address imapkey can use ({exc})"
        ) from None


def host(value: str) -> str:
    """A server name by the protocol's own rules (``prober.models.check_host``)."""
    from imapkey.prober.models import check_host

    name = value.strip()
    try:
        if not name or len(name) > 253:
            raise ValueError("expected a name like imap.gmail.com or an address like 192.0.2.7")
        return check_host(name)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{safe(value)}' is not a server name ({exc})") from None


def port(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(
            f"'{safe(value)}' is not a port: give a number from 1 to 65535 (IMAP uses 993 or 143)"
        )
    return number


def timeout(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= MAX_TIMEOUT:  # also refuses nan
        raise argparse.ArgumentTypeError(
            f"'{safe(value)}' is not a usable timeout: give a number of seconds above 0 and at "
            f"most {MAX_TIMEOUT:.0f}"
        )
    return seconds


def ca_file(value: str) -> str:
    path = os.path.abspath(os.path.expanduser(value))
    if not os.path.isfile(path):
        what = "is not a file" if os.path.exists(path) else "does not exist"
        raise argparse.ArgumentTypeError(
            f"the CA file '{safe(value)}' {what} (give the PEM file with your server's CA)"
        )
    return path


# --- Options ------------------------------------------------------------------------------


def add_email(
    parser: argparse.ArgumentParser, help: str = "the address (also the IMAP user name)"
) -> None:
    parser.add_argument("email", type=email, metavar="ADDRESS", help=help)


def add_server_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", type=host, help="IMAP server (default: from the address's provider)"
    )
    parser.add_argument("--port", type=port, help="port (default: 993 for tls, 143 for starttls)")
    parser.add_argument(
        "--security", choices=("tls", "starttls"), help="tls (SSL/TLS, 993) or starttls (143)"
    )
    parser.add_argument(
        "--ca-file",
        type=ca_file,
        metavar="FILE",
        help="also trust this CA bundle (a private server's CA)",
    )
    add_lookup_flag(parser)


def add_smtp_flags(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "sending", "check sending (SMTP submission) too, at the same time; nothing is mailed"
    )
    group.add_argument(
        "--smtp",
        action="store_true",
        help="check sending with the provider's sending server too",
    )
    group.add_argument(
        "--smtp-host", type=host, metavar="HOST", help="sending server (implies --smtp)"
    )
    group.add_argument(
        "--smtp-port",
        type=port,
        metavar="PORT",
        help="sending port (default: 465 for tls, 587 for starttls; implies --smtp)",
    )
    group.add_argument(
        "--smtp-security",
        choices=("tls", "starttls"),
        help="tls (SSL/TLS, 465) or starttls (587) for sending (implies --smtp)",
    )


def smtp_from_flags(args: argparse.Namespace) -> ServerSettings | ImapkeyError | None:
    """The sending server the flags ask for: None without any --smtp flag; the provider's
    for a bare --smtp (or why it cannot be used: unknown, or only a guess); else the one the
    flags name, filled in from the provider's. --ca-file applies to it as well."""
    from imapkey.prober.models import ServerSettings

    named = (args.smtp_host, args.smtp_port, args.smtp_security)
    if not args.smtp and named == (None, None, None):
        return None
    found: ServerSettings | None = None
    if args.smtp_host is None:
        from imapkey.prober import check

        try:
            found = check.settings_for(args.email, True, "smtp")[0]
        except ImapkeyError as exc:
            return exc
    host_name = args.smtp_host or (found.host if found else "")
    security = found.security if found else "tls"
    smtp_port = found.port if found else SMTP_PORTS[security]
    if args.smtp_security is not None:
        security = args.smtp_security
        smtp_port = SMTP_PORTS[security]
    if args.smtp_port is not None:
        smtp_port = args.smtp_port
        if args.smtp_security is None:
            security = "starttls" if smtp_port in (587, 25) else "tls"
    return ServerSettings(host=host_name, port=smtp_port, security=security, ca_file=args.ca_file)


def add_lookup_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-lookup",
        action="store_true",
        help="never send the domain to Mozilla's ISPDB while finding the server",
    )


def apply_lookup_flag(args: argparse.Namespace) -> None:
    """--no-lookup sets the same switch as the IMAPKEY_NO_LOOKUP setting, for this process."""
    if args.no_lookup:
        from imapkey.discover.config import NO_LOOKUP_ENV

        os.environ[NO_LOOKUP_ENV] = "1"


def add_timeout(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=timeout,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"give up on a server after this long (default {DEFAULT_TIMEOUT:.0f}, at most "
        f"{MAX_TIMEOUT:.0f})",
    )


def add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="check even while imapkey pauses checks after 3 failed logins in 15 minutes",
    )


def add_json(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        help=f'print {what} as JSON on stdout (errors too: {{"ok": false, "error": …}})',
    )


def add_password_stdin(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin instead of asking for it",
    )


def server_from_flags(args: argparse.Namespace) -> ServerSettings | None:
    """Settings from --host/--port/--security, or None to use the provider's. A server that is
    only a guess is asked about on a terminal and refused otherwise — before any password is
    read, so a password never goes to a guess nobody confirmed."""
    from imapkey.discover.confirm import for_cli
    from imapkey.prober.models import ServerSettings

    apply_lookup_flag(args)
    confirmed = None
    if args.host is None:
        confirmed = for_cli(args.email, sys.stdin.isatty() and not args.password_stdin)
    if args.host is None and args.port is None and args.security is None and args.ca_file is None:
        return confirmed
    if args.host is None:
        from imapkey.prober.providers import suggest

        found = confirmed or suggest(args.email)
        host, port, security = found.host, found.port, found.security
    else:
        host, port, security = args.host, 993, "tls"
    if args.security is not None:
        security = args.security
        port = DEFAULT_PORTS[security]
    if args.port is not None:
        port = args.port
        if args.security is None:
            security = "starttls" if port == 143 else "tls"
    return ServerSettings(host=host, port=port, security=security, ca_file=args.ca_file)


# --- Input --------------------------------------------------------------------------------


def read_password(args: argparse.Namespace) -> SecretStr:
    """The password from a no-echo prompt on the terminal, or from stdin's first line with
    --password-stdin. Never an empty one: it would only fail and count toward the pause."""
    from pydantic import SecretStr

    if args.password_stdin:
        line = sys.stdin.readline()
        password = line.removesuffix("\n").removesuffix("\r")
        where = "Give the password on the first line of stdin."
    else:
        if not sys.stdin.isatty():
            raise UsageError(
                "There is no terminal to ask for the password on.",
                f"Pipe it in with --password-stdin, e.g.  … | imapkey {args.command} "
                "ADDRESS --password-stdin",
            )
        import getpass

        try:
            password = getpass.getpass(f"Password for {safe(args.email)}: ")
        except EOFError:  # Ctrl-D: getpass leaves the cursor on the prompt line
            newline_on_terminal()
            password = ""
        where = "Type or paste the app password at the prompt (it is not shown)."
    if not password.strip():
        raise UsageError("The password is empty, so nothing was sent to the server.", where)
    return SecretStr(password)


def confirm(question: str, yes: bool, refusal: str, hint: str) -> bool:
    """True with --yes, or when the person at the terminal says yes; without a terminal
    (and without --yes) refuse with ``refusal`` and ``hint``."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(refusal, hint)
    sys.stderr.write(f"{question} [y/N] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer:  # Ctrl-D
        newline_on_terminal()
    return answer.strip().lower() in ("y", "yes")


def newline_on_terminal() -> None:
    """End the line a prompt left the cursor on, so the shell's prompt starts afresh."""
    try:
        if sys.stderr.isatty():
            sys.stderr.write("\n")
            sys.stderr.flush()
    except (OSError, ValueError):
        pass

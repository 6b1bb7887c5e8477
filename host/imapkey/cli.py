"""The ``imapkey`` command line: the same operations the browser extension uses.

Passwords are never taken from argv: they come from a no-echo prompt or, with
``--password-stdin``, from the first line of standard input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from imapkey import __version__

if TYPE_CHECKING:
    from pydantic import SecretStr

    from imapkey.prober.models import CheckResult, ServerSettings

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2

DEFAULT_PORTS = {"tls": 993, "starttls": 143}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="imapkey",
        description="Check IMAP app passwords against the real server and keep them in the "
        "system keyring.",
    )
    parser.add_argument("--version", action="version", version=f"imapkey {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check an address and password against the real IMAP server",
        description="Log in to the IMAP server and say exactly how it went. Exit status 0 only "
        "when the login worked.",
    )
    check.add_argument("email", help="the address (also the IMAP user name)")
    add_server_flags(check)
    check.add_argument(
        "--timeout", type=float, default=15.0, metavar="SECONDS", help="give up after this long"
    )
    check.add_argument(
        "--force", action="store_true", help="check even when paused after repeated failures"
    )
    check.add_argument("--json", action="store_true", help="print the result object as JSON")
    check.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin's first line"
    )

    suggest = commands.add_parser("suggest", help="show the IMAP settings for an address")
    suggest.add_argument("email")
    suggest.add_argument("--json", action="store_true")

    save = commands.add_parser(
        "save",
        help="check a password and keep it in the system keyring",
        description="Check the password first and store it only if the login works. Over a "
        "saved account this is a rotation: the stored password is replaced only by one that "
        "worked.",
    )
    save.add_argument("email")
    add_server_flags(save)
    save.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS")
    save.add_argument("--no-verify", action="store_true", help="store without checking")
    save.add_argument("--password-stdin", action="store_true")
    save.add_argument("--json", action="store_true")

    listing = commands.add_parser("list", help="list saved accounts (never a password)")
    listing.add_argument("--json", action="store_true")

    delete = commands.add_parser("delete", help="remove a saved account from the keyring")
    delete.add_argument("email")
    delete.add_argument("--host", help="only the account on this server")

    recheck = commands.add_parser("recheck", help="check saved accounts with their stored password")
    target = recheck.add_mutually_exclusive_group(required=True)
    target.add_argument("email", nargs="?")
    target.add_argument("--all", action="store_true")
    recheck.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS")
    recheck.add_argument("--json", action="store_true")

    password = commands.add_parser(
        "password",
        help="print a saved password (for a mail client's PassCmd)",
        description="Print the stored password on stdout: the only command that ever does.",
    )
    password.add_argument("email")
    password.add_argument("--host")

    snippet = commands.add_parser(
        "snippet",
        help="print a mail client configuration that reads the password from here",
        description="A complete configuration for the client that syncs or opens the INBOX, "
        "reading the password from the keyring. Printed, or written to the client's own file "
        "with --write.",
    )
    snippet.add_argument("email")
    snippet.add_argument(
        "--client", required=True, choices=("mbsync", "neomutt", "aerc", "himalaya", "offlineimap")
    )
    snippet.add_argument("--host")
    snippet.add_argument(
        "--client-version",
        choices=("1", "2"),
        help="himalaya's major version (default: the installed one, else 2)",
    )
    snippet.add_argument(
        "--write", action="store_true", help="write the client's own file (mode 0600)"
    )
    snippet.add_argument("--force", action="store_true", help="with --write: replace the file")

    from imapkey.install.commands import add_parsers

    add_parsers(commands)
    return parser


def add_server_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", help="IMAP server (default: from the address's provider)")
    parser.add_argument("--port", type=int, help="port (default: 993 for tls, 143 for starttls)")
    parser.add_argument(
        "--security", choices=("tls", "starttls"), help="tls (SSL/TLS, 993) or starttls (143)"
    )
    parser.add_argument(
        "--ca-file", metavar="FILE", help="also trust this CA bundle (a private server's CA)"
    )


def server_from_flags(args: argparse.Namespace) -> ServerSettings | None:
    """Settings from --host/--port/--security, or None to use the provider's."""
    from imapkey.prober.models import ServerSettings

    if args.host is None and args.port is None and args.security is None and args.ca_file is None:
        return None
    if args.host is None:
        from imapkey.prober.providers import suggest

        found = suggest(args.email)
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


def read_password(from_stdin: bool, prompt: str) -> SecretStr:
    from pydantic import SecretStr

    if from_stdin:
        line = sys.stdin.readline()
        return SecretStr(line.removesuffix("\n").removesuffix("\r"))
    import getpass

    return SecretStr(getpass.getpass(prompt))


def cmd_check(args: argparse.Namespace) -> int:
    from imapkey.prober import check

    server = server_from_flags(args)
    password = read_password(args.password_stdin, f"Password for {args.email}: ")
    request = check.CheckRequest(
        email=args.email, password=password, server=server, timeout=args.timeout, force=args.force
    )
    result = check.run(request)
    if args.json:
        print(result.model_dump_json(indent=2))
    else:
        print(render_check(result, color=sys.stdout.isatty()))
    return EXIT_OK if result.ok else EXIT_FAILED


def render_check(result: CheckResult, color: bool) -> str:
    """The stage ladder with timings, then the verdict, the fix and the server's words."""

    def paint(text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if color else text

    server = result.server
    lines = [f"{result.email} at {server.host}:{server.port} ({server.security})", ""]
    for stage in result.stages:
        mark = paint("✓", "32") if stage.ok else paint("✗", "31")
        lines.append(f"  {mark} {stage.name:<10} {stage.ms:>7.1f} ms  {stage.detail}")
    lines.append("")
    verdict = paint(result.outcome, "1;32" if result.ok else "1;31")
    lines.append(f"{verdict}: {result.message}")
    if not result.ok or result.hint:
        lines.append(f"  → {result.hint}")
    if result.link:
        lines.append(f"  {result.link}")
    for warning in result.warnings:
        lines.append(paint(f"  ! {warning}", "33"))
    if result.server_text:
        lines.append("")
        lines.append("The server said:")
        lines.extend(f"  {line}" for line in result.server_text.splitlines())
    lines.append("")
    lines.append(f"{result.elapsed_ms:.0f} ms in all")
    return "\n".join(lines)


def cmd_suggest(args: argparse.Namespace) -> int:
    from imapkey.ops import Context
    from imapkey.ops import suggest as op

    result: dict[str, Any] = op.run(op.Params(email=args.email), Context())
    if args.json:
        print(json.dumps(result, indent=2))
        return EXIT_OK
    server = result["server"]
    name = result["name"] or "unknown provider"
    print(f"{args.email}: {name} ({result['source']})")
    print(f"  IMAP server {server['host']} port {server['port']} ({server['security']})")
    for note in result["notes"]:
        print(f"  - {note}")
    if result["app_password_link"]:
        print(f"  App passwords: {result['app_password_link']}")
    return EXIT_OK


def cmd_save(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts

    server = server_from_flags(args)
    password = read_password(args.password_stdin, f"Password for {args.email}: ")
    outcome = accounts.save(args.email, password, server, not args.no_verify, args.timeout)
    if args.json:
        print(json.dumps(outcome, indent=2))
        return EXIT_OK if outcome["saved"] else EXIT_FAILED
    if outcome["check"]:
        from imapkey.prober.models import CheckResult

        print(render_check(CheckResult.model_validate(outcome["check"]), sys.stdout.isatty()))
        print()
    print(outcome["message"])
    return EXIT_OK if outcome["saved"] else EXIT_FAILED


def cmd_list(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts

    listing = accounts.list_accounts()
    if args.json:
        print(json.dumps(listing, indent=2))
        return EXIT_OK
    if not listing["accounts"]:
        print("No saved accounts.")
    for account in listing["accounts"]:
        state = account["last_outcome"] or "not checked"
        worked = account["last_ok_at"] or "never"
        missing = (
            "  (password missing from the keyring!)" if account["secret_present"] is False else ""
        )
        print(
            f"{account['email']}  {account['host']}:{account['port']} ({account['security']})"
            f"  last: {state}  last worked: {worked}{missing}"
        )
    if listing["keyring_error"]:
        print(f"imapkey: {listing['keyring_error']['message']}", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_delete(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts

    outcome = accounts.delete(args.email, args.host)
    for gone in outcome["removed"]:
        print(f"Removed {gone['email']} on {gone['host']}.")
    print(outcome["message"])
    print(f"  → {outcome['hint']}")
    if outcome["link"]:
        print(f"  {outcome['link']}")
    return EXIT_OK


def cmd_recheck(args: argparse.Namespace) -> int:
    from imapkey.prober.models import CheckResult
    from imapkey.vault import accounts

    outcome = accounts.recheck(None if args.all else args.email, timeout=args.timeout)
    if args.json:
        print(json.dumps(outcome, indent=2))
    all_ok = True
    for entry in outcome["results"]:
        if entry["check"] is None:
            all_ok = False
            if not args.json:
                print(f"{entry['email']} on {entry['host']}: {entry['error']['message']}")
            continue
        result = CheckResult.model_validate(entry["check"])
        all_ok &= result.ok
        if not args.json:
            print(render_check(result, sys.stdout.isatty()))
            print()
    return EXIT_OK if all_ok else EXIT_FAILED


def cmd_password(args: argparse.Namespace) -> int:
    from imapkey.vault import accounts

    sys.stdout.write(accounts.stored_password(args.email, args.host) + "\n")
    return EXIT_OK


def cmd_snippet(args: argparse.Namespace) -> int:
    from imapkey.vault.snippets import saved_account, snippet, write_snippet

    account = saved_account(args.email, args.host)
    text = snippet(args.client, account, args.client_version)
    if not args.write:
        sys.stdout.write(text)
        return EXIT_OK
    path = write_snippet(args.client, account, text, force=args.force)
    print(f"Wrote {path} (readable only by you).")
    return EXIT_OK


def cmd_install(args: argparse.Namespace) -> int:
    from imapkey.install.commands import cmd_install as run

    return run(args)


def cmd_uninstall(args: argparse.Namespace) -> int:
    from imapkey.install.commands import cmd_uninstall as run

    return run(args)


def cmd_doctor(args: argparse.Namespace) -> int:
    from imapkey.install.commands import cmd_doctor as run

    return run(args)


COMMANDS = {
    "check": cmd_check,
    "suggest": cmd_suggest,
    "save": cmd_save,
    "list": cmd_list,
    "delete": cmd_delete,
    "recheck": cmd_recheck,
    "password": cmd_password,
    "snippet": cmd_snippet,
    "install": cmd_install,
    "uninstall": cmd_uninstall,
    "doctor": cmd_doctor,
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    from pydantic import ValidationError

    from imapkey import logsetup
    from imapkey.errors import ImapkeyError
    from imapkey.protocol import describe

    logsetup.configure("cli")
    try:
        return COMMANDS[args.command](args)
    except ValidationError as exc:
        print(f"imapkey: invalid input: {describe(exc)}", file=sys.stderr)
        return EXIT_USAGE
    except ImapkeyError as exc:
        print(f"imapkey: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(f"  {exc.hint}", file=sys.stderr)
        return EXIT_USAGE
    except (ValueError, FileNotFoundError) as exc:
        print(f"imapkey: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

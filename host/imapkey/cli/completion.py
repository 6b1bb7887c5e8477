"""``imapkey completion bash|zsh|fish``: the shell code for tab completion.

argcomplete, not shtab: only argcomplete completes for fish, and it completes from the
live parser, so saved addresses complete too. Its cost is paid only when a shell asks for
completions (``_ARGCOMPLETE`` set) or this command runs; ``imapkey-host`` never imports it.
"""

from __future__ import annotations

import argparse
import os

from imapkey.cli import exitcodes, render

SHELLS = ("bash", "zsh", "fish")


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    completion = commands.add_parser(
        "completion",
        help="print the shell code for tab completion",
        description="Print the code that makes your shell complete imapkey's commands, "
        'options and saved addresses. bash: add  eval "$(imapkey completion bash)"  to '
        "~/.bashrc; zsh: the same in ~/.zshrc (after compinit); fish: "
        "imapkey completion fish > ~/.config/fish/completions/imapkey.fish",
    )
    completion.add_argument("shell", choices=SHELLS, help="your shell: " + ", ".join(SHELLS))


def run(args: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode

    render.out(shellcode(["imapkey"], shell=args.shell).rstrip("\n"))
    return exitcodes.OK


def saved_addresses(prefix: str, **_: object) -> list[str]:
    """Addresses of saved accounts starting with what was typed (never a password)."""
    try:
        from imapkey.vault.index import Index

        return sorted({a.email for a in Index().load() if a.email.startswith(prefix)})
    except Exception:  # completion must never print an error into the user's shell
        return []


def autocomplete(parser: argparse.ArgumentParser) -> None:
    """Answer a shell's completion request and exit; return at once for a normal run."""
    if "_ARGCOMPLETE" not in os.environ:
        return
    for action in _email_actions(parser):
        action.completer = saved_addresses  # type: ignore[attr-defined]
    import argcomplete

    argcomplete.autocomplete(parser)


def _email_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found.extend(_email_actions(sub))
        elif action.dest == "email":
            found.append(action)
    return found

"""imapkey completion: the generated scripts load in real bash, zsh and fish and complete
commands, options and saved addresses."""

from __future__ import annotations

import subprocess
import sys

from support.cli import CLI, run_cli
from support.services import require


def _shell_env(env: dict[str, str]) -> dict[str, str]:
    return dict(env, PATH=f"{CLI.parent}:{env['PATH']}")


def _run(argv: list[str], env: dict[str, str]) -> str:
    out = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60, check=False)
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    return out.stdout


BASH_COMPLETE = """
eval "$(imapkey completion bash)"
complete -p imapkey
COMP_LINE="$1"; COMP_POINT=${#COMP_LINE}; COMP_TYPE=9
read -ra COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
_python_argcomplete imapkey "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
printf '[%s]\\n' "${COMPREPLY[@]}"
"""


def test_bash(keyring_env: dict[str, str]) -> None:
    """bash: the script registers imapkey and completes commands, options, saved addresses."""
    saved = run_cli(
        ["save", "someone@example.com", "--host", "h.invalid", "--no-verify", "--password-stdin"],
        keyring_env,
        "pw-1\n",
    )
    assert saved.returncode == 0, saved.stderr
    env = _shell_env(keyring_env)
    bash = require("bash", "bash")

    def complete(line: str) -> str:
        return _run([bash, "-c", BASH_COMPLETE, "bash", line], env)

    registered = complete("imapkey rech")
    assert "-F _python_argcomplete imapkey" in registered
    assert "[recheck ]" in registered
    assert "[--timeout ]" in complete("imapkey check --ti")
    assert "[someone@example.com ]" in complete("imapkey password some")


def test_zsh(env: dict[str, str]) -> None:
    """zsh: the script loads after compinit and registers the completion function."""
    zsh = require("zsh", "zsh")
    script = 'autoload -U compinit; compinit -u; eval "$(imapkey completion zsh)"; '
    script += "print -r -- $_comps[imapkey]"
    assert _run([zsh, "-f", "-c", script], _shell_env(env)).strip() == "_python_argcomplete"


def test_fish(env: dict[str, str]) -> None:
    """fish: the script loads and completes commands with their help."""
    fish = require("fish", "fish")
    script = 'imapkey completion fish | source; complete -C "imapkey rech"'
    out = _run([fish, "--no-config", "-c", script], _shell_env(env))
    assert out.splitlines() == ["recheck\tcheck saved accounts with their stored password"]


def test_unknown_shell_is_refused(env: dict[str, str]) -> None:
    """An unsupported shell is a usage error naming the supported ones."""
    out = run_cli(["completion", "tcsh"], env)
    assert out.returncode == 2
    assert "bash" in out.stderr
    assert "fish" in out.stderr


def test_argcomplete_is_imported_only_for_completion() -> None:
    """A normal run of the CLI, and the native host, never import argcomplete."""
    script = (
        "import sys\n"
        "from imapkey.cli import main\n"
        "import imapkey.host, imapkey.server\n"
        "main(['suggest', 'someone@icloud.com'])\n"
        "print('argcomplete' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.splitlines()[-1] == "False"

"""The imapkey command line's entry point: help, exit statuses, and its guard against
tracebacks and broken pipes."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from imapkey import __version__
from imapkey.cli import COMMANDS, build_parser, exitcodes, main
from support.cli import CLI, run_cli


def test_version() -> None:
    """imapkey --version prints the package version."""
    out = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, check=True)
    assert out.stdout == f"imapkey {__version__}\n"


def test_no_command_shows_usage_and_fails() -> None:
    """Without a command the CLI prints its usage to stderr and exits 2."""
    out = subprocess.run([str(CLI)], capture_output=True, text=True, check=False)
    assert out.returncode == 2
    assert "usage: imapkey" in out.stderr
    assert out.stdout == ""


def test_help_documents_the_exit_statuses(env: dict[str, str]) -> None:
    """imapkey --help ends with the one table of exit statuses, and README has the same."""
    out = run_cli(["--help"], env)
    assert out.returncode == 0
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text()
    for status, meaning in exitcodes.TABLE:
        assert f"{status:>3}  {meaning}" in out.stdout
        assert f"| {status} | {meaning} |" in readme


def _parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found.extend(_parsers(sub))
    return found


def test_every_command_and_option_has_help() -> None:
    """No command, option or argument is left without help text, and each is dispatched."""
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) == set(COMMANDS)
    assert all(choice.help for choice in commands._choices_actions)
    for sub in _parsers(parser):
        for action in sub._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help, f"{sub.prog} {action.option_strings or action.dest}"


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["suggest", "--json", "x@gmail.com"], exitcodes.PIPE_CLOSED),
        (["install", "--print", "--browser", "firefox"], exitcodes.PIPE_CLOSED),
        (["completion", "bash"], exitcodes.PIPE_CLOSED),
        (["--help"], exitcodes.OK),  # argparse itself ignores a failed write of the help
    ],
)
def test_closed_pipe_is_quiet(env: dict[str, str], args: list[str], status: int) -> None:
    """A reader that stops early (| true, | head) gets no BrokenPipeError traceback: exit
    141, as a shell reports a program ended by SIGPIPE, and nothing on stderr."""
    proc = subprocess.Popen(
        [str(CLI), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()  # long before imapkey has started and written anything
    err = proc.stderr.read()
    assert proc.wait(60) == status
    assert err == b""


def test_write_failure_is_two_lines_and_nothing_claimed(
    env: dict[str, str], tmp_path: Path
) -> None:
    """install --dir under a file: no "wrote …", no traceback, what failed and what to do."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    out = run_cli(["install", "--dir", str(blocker / "x")], env)
    assert out.returncode == exitcodes.STORAGE
    assert "wrote" not in out.stdout
    assert out.stderr.splitlines() == [
        f"imapkey: Could not use {blocker / 'x'}: Not a directory.",
        "  Check that the path is right, its folders exist and you may write there.",
    ]


def test_unexpected_error_is_short_and_logged(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str],
    log_text: Callable[[], str],
) -> None:
    """A bug ends in one line and a pointer to the log (exit 5); the error's own text, which
    may quote a secret, is printed nowhere and logged nowhere; where it happened is logged."""
    for name in ("XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, env[name])
    canary = "canary-secret-31"

    def explode(args: argparse.Namespace) -> int:
        raise RuntimeError(f"holding {canary}")

    monkeypatch.setattr("imapkey.cli.handler", lambda command: explode)
    assert main(["list"]) == exitcodes.INTERNAL
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("imapkey: Something went wrong inside imapkey (RuntimeError).\n")
    assert "cli.log" in err
    assert len(err.splitlines()) == 2
    logged = log_text()
    assert "unexpected RuntimeError in list" in logged
    assert "explode" in logged
    assert canary not in err + logged
    assert main(["list", "--json"]) == exitcodes.INTERNAL
    assert '"code": "internal_error"' in capsys.readouterr().out


def test_python_m_runs_the_cli() -> None:
    """python -m imapkey.cli is the same command line."""
    out = subprocess.run(
        [sys.executable, "-m", "imapkey.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.stdout == f"imapkey {__version__}\n"


def test_installer_refusal_is_worded(env: dict[str, str]) -> None:
    """The installer's own refusals reach the user as its sentence, exit 2, no traceback."""
    out = run_cli(["install", "--system", "--print", "--browser", "brave"], env)
    assert out.returncode == exitcodes.USAGE
    assert out.stderr.splitlines() == [
        "imapkey: Brave has no system-wide native messaging folder on linux",
        "  See: imapkey install --help",
    ]


def test_parse_errors_are_worded(env: dict[str, str]) -> None:
    """argparse's errors come out as one sentence and a pointer to the right --help."""
    out = run_cli(["frobnicate"], env)
    assert out.returncode == exitcodes.USAGE
    assert out.stderr.startswith("imapkey: unknown command 'frobnicate' (choose from 'check',")
    assert out.stderr.endswith("\n  See: imapkey --help\n")
    out = run_cli(["completion", "tcsh"], env)
    assert out.stderr == (
        "imapkey: completion: not a choice: 'tcsh' (choose from 'bash', 'zsh', 'fish')\n"
        "  See: imapkey completion --help\n"
    )

"""`imapkey snippet --write`: the client's own file, 0600, never over an existing one unasked."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from imapkey.cli import exitcodes
from support.cli import run_cli

ACCOUNT = {
    "email": "me@example.com",
    "host": "imap.example.com",
    "port": 993,
    "security": "tls",
    "saved_at": "2026-11-23T00:00:00+00:00",
}


def _saved(env: dict[str, str]) -> None:
    path = Path(env["XDG_DATA_HOME"]) / "imapkey" / "accounts.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"version": 1, "accounts": [ACCOUNT]}))


def _aerc_file(env: dict[str, str]) -> Path:
    return Path(env["XDG_CONFIG_HOME"]) / "aerc" / "accounts.conf"


def test_write_creates_the_clients_file_readable_only_by_the_user(env: dict[str, str]) -> None:
    """--write puts exactly the printed text at the client's path, mode 0600 in a 0700 folder."""
    _saved(env)
    out = run_cli(["snippet", "me@example.com", "--client", "aerc", "--write"], env)
    assert out.returncode == 0, out.stderr
    path = _aerc_file(env)
    assert out.stdout == f"Wrote {path} (readable only by you).\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    printed = run_cli(["snippet", "me@example.com", "--client", "aerc"], env)
    assert path.read_text() == printed.stdout


def test_write_refuses_an_existing_file_and_force_replaces_it(env: dict[str, str]) -> None:
    """An existing file is left alone (exit 3, a file not written; says --force); --force
    replaces it whole."""
    _saved(env)
    path = Path(env["HOME"]) / ".mbsyncrc"
    path.parent.mkdir(parents=True)
    path.write_text("# my own accounts\n")
    out = run_cli(["snippet", "me@example.com", "--client", "mbsync", "--write"], env)
    assert out.returncode == exitcodes.STORAGE
    assert "already exists" in out.stderr
    assert "--force" in out.stderr
    assert path.read_text() == "# my own accounts\n"
    forced = run_cli(["snippet", "me@example.com", "--client", "mbsync", "--write", "--force"], env)
    assert forced.returncode == 0, forced.stderr
    assert "IMAPAccount me-at-example-com" in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".mbsyncrc")] == [
        ".mbsyncrc"
    ]


def test_write_creates_the_local_mail_folder_for_syncing_clients(env: dict[str, str]) -> None:
    """mbsync and offlineimap need ~/Mail/<account> to exist: --write makes it."""
    _saved(env)
    out = run_cli(["snippet", "me@example.com", "--client", "offlineimap", "--write"], env)
    assert out.returncode == 0, out.stderr
    assert (Path(env["HOME"]) / "Mail" / "me-at-example-com").is_dir()


def test_write_never_follows_a_planted_symlink(env: dict[str, str], tmp_path: Path) -> None:
    """A symlink at the path is refused, and --force replaces the link, not its target."""
    _saved(env)
    target = tmp_path / "victim"
    target.write_text("precious\n")
    path = _aerc_file(env)
    path.parent.mkdir(parents=True)
    path.symlink_to(target)
    out = run_cli(["snippet", "me@example.com", "--client", "aerc", "--write"], env)
    assert out.returncode == exitcodes.STORAGE
    assert target.read_text() == "precious\n"
    forced = run_cli(["snippet", "me@example.com", "--client", "aerc", "--write", "--force"], env)
    assert forced.returncode == 0, forced.stderr
    assert not path.is_symlink()
    assert target.read_text() == "precious\n"
    assert "[me-at-example-com]" in path.read_text()


def test_snippet_for_an_unknown_account_says_so(env: dict[str, str]) -> None:
    """No saved account: exit 1 (the CLI's status for no such account), nothing on stdout,
    and the fix."""
    out = run_cli(["snippet", "nobody@example.com", "--client", "neomutt"], env)
    assert out.returncode == exitcodes.FAILED
    assert out.stdout == ""
    assert "No saved account for nobody@example.com" in out.stderr
    assert "imapkey save" in out.stderr

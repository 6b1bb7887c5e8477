"""imapkey-host started by hand in a terminal explains itself instead of writing a frame."""

from __future__ import annotations

from support.cli import HOST, Terminal


def test_host_in_a_terminal_points_to_doctor(env: dict[str, str]) -> None:
    """On a terminal the host says the browser starts it and how to test it, and exits 2."""
    term = Terminal([str(HOST)], env)
    assert term.wait() == 2
    assert "started by your browser" in term.text
    assert "imapkey doctor" in term.text
    assert "\x00" not in term.text  # no length-prefixed binary frame

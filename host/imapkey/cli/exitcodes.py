"""The command line's exit statuses: one table, kept by every command."""

from __future__ import annotations

OK = 0
FAILED = 1
USAGE = 2

"""Discovery costs nothing until a domain outside the table needs it."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from imapkey.ops import Context
from imapkey.ops import suggest as op
result = op.run(op.Params(email="me@gmail.com"), Context())
assert result["source"] == "preset", result
print(" ".join(sorted(sys.modules)))
"""


def test_a_preset_suggestion_imports_no_discovery_dns_or_http() -> None:
    """suggest for a well-known domain loads neither imapkey.discover, dnspython nor http."""
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    modules = set(out.stdout.split())
    assert "imapkey.prober.providers" in modules
    assert not modules & {"imapkey.discover", "dns", "dns.resolver", "http.client", "ssl"}

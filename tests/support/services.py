"""Finding the real services integration tests need.

Locally a missing service skips its tests with the install command; under CI (``CI=true``)
it fails them, so a green CI always means the real service was exercised.
"""

from __future__ import annotations

import os
import shutil

import pytest


def require(executable: str, package: str) -> str:
    """The path of ``executable``; skip (locally) or fail (CI) when it is missing."""
    path = shutil.which(executable) or shutil.which(executable, path="/usr/sbin:/sbin")
    if path:
        return path
    message = f"{executable} not found: apt-get install {package} (make test installs it)"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(message)
    pytest.skip(message)

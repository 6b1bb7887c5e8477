"""Host manifests rendered from the templates in ``manifests/`` with the ids to allow."""

from __future__ import annotations

import json
from pathlib import Path
from string import Template

from imapkey.identity import HOST_NAME, Identity, identity
from imapkey.install.browsers import Family

_PACKAGED = Path(__file__).resolve().parents[1] / "_manifests"
_SOURCE = Path(__file__).resolve().parents[3] / "manifests"


def templates_dir() -> Path:
    """The templates shipped in a wheel, else the source tree's (editable installs)."""
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE


def render(family: Family, host_path: str, ids: Identity | None = None) -> str:
    """The manifest for a browser family: Chromium gets allowed_origins only, Firefox
    allowed_extensions only; each lists every id imapkey serves (shipped list + the user's)."""
    ids = identity() if ids is None else ids
    template = Template((templates_dir() / f"{family}.json.in").read_text(encoding="utf-8"))
    text = template.substitute(
        name=HOST_NAME,
        path=json.dumps(host_path)[1:-1],
        allowed_origins=json.dumps(ids.chromium_origins),
        allowed_extensions=json.dumps(list(ids.gecko_ids)),
    )
    json.loads(text)  # a template that renders invalid JSON is a bug, not an install
    return text


def render_flatpak_wrapper(app_id: str, host_path: str) -> str:
    template = Template((templates_dir() / "flatpak-wrapper.sh.in").read_text(encoding="utf-8"))
    import shlex

    return template.substitute(app_id=app_id, host=shlex.quote(host_path))


def manifest_file_name() -> str:
    return f"{HOST_NAME}.json"

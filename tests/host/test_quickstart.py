"""The host's stand-in for pydantic's plugin loader: same answer, without importlib.metadata."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pydantic
import pytest

from imapkey import quickstart

PRELUDE = (
    "import os, sys\n"
    "os.environ['PYDANTIC_DISABLE_PLUGINS'] = {setting!r}\n"
    "from imapkey.quickstart import skip_plugin_scan\n"
    "print('installed', skip_plugin_scan())\n"
)


def _run(body: str, setting: str = "__all__") -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run(
        [sys.executable, "-c", PRELUDE.format(setting=setting) + body],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return out.stdout.split()


def test_models_build_without_importing_importlib_metadata() -> None:
    """With every plugin off, building and using a model never imports importlib.metadata."""
    body = (
        "from pydantic import BaseModel, Field\n"
        "class M(BaseModel):\n"
        "    x: int = Field(gt=0)\n"
        "assert M(x=1).x == 1\n"
        "print('metadata', 'importlib.metadata' in sys.modules)\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "print('plugins', list(get_plugins()))\n"
    )
    assert _run(body) == ["installed", "True", "metadata", "False", "plugins", "[]"]


def test_any_other_name_loads_the_real_loader() -> None:
    """A name pydantic might ask for besides get_plugins comes from the real module."""
    body = (
        "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP\n"
        "print(PYDANTIC_ENTRY_POINT_GROUP)\n"
        "print(type(sys.modules['pydantic.plugin._loader']).__name__)\n"
    )
    assert _run(body) == ["installed", "True", "pydantic", "module"]


def test_not_installed_unless_every_plugin_is_off() -> None:
    """Disabling some plugins by name, or none, leaves pydantic's own loader in charge."""
    assert _run("", setting="some_plugin") == ["installed", "False"]
    assert _run("", setting="") == ["installed", "False"]


def test_not_installed_over_an_imported_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once pydantic's loader is imported (here, by this test process), it is left alone."""
    import pydantic.plugin._loader  # noqa: F401

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
    assert quickstart.skip_plugin_scan() is False


def test_pydantic_asks_its_loader_for_get_plugins_only() -> None:
    """The installed pydantic imports nothing but get_plugins from the loader, so the stand-in
    answers all of it (a release that asks for more is still served, by the real module)."""
    root = Path(pydantic.__file__).parent
    asked: set[str] = set()
    for path in root.rglob("*.py"):
        if "v1" in path.relative_to(root).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("_loader"):
                asked |= {alias.name for alias in node.names}
    assert asked == {"get_plugins"}

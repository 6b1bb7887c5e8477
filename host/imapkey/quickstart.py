"""Start-up shortcuts for the native host, whose start-up is on the user's critical path.

pydantic looks for plugins when the first model is built. With ``PYDANTIC_DISABLE_PLUGINS``
set to turn them all off it finds none, yet the module that would look
(``pydantic.plugin._loader``) still imports ``importlib.metadata`` (and with it ``email``,
``zipfile``, ``csv``, ...): about 20 ms, a fifth of pydantic's own import, for an answer the
setting already gives. ``skip_plugin_scan`` puts a stand-in module in its place that gives that
answer; any other name pydantic may ask of the module loads the real one at that moment, so a
pydantic release that uses the module differently is served correctly, only not faster.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable
from typing import Any

LOADER = "pydantic.plugin._loader"
_ALL_OFF = ("__all__", "1", "true")  # the values for which pydantic's loader returns no plugins


class _Loader(types.ModuleType):
    """``get_plugins`` as pydantic's loader answers when every plugin is disabled."""

    def get_plugins(self) -> Iterable[Any]:
        return ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system asking (e.g. ``__path__``): not here
            raise AttributeError(name)
        # Anything else: the real loader, imported now in the stand-in's place.
        if sys.modules.get(LOADER) is self:
            del sys.modules[LOADER]
        return getattr(importlib.import_module(LOADER), name)


def skip_plugin_scan() -> bool:
    """Install the stand-in when plugins are all disabled and pydantic's loader is not yet
    imported; True when it was installed."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in _ALL_OFF or LOADER in sys.modules:
        return False
    sys.modules[LOADER] = _Loader(LOADER, __doc__)
    return True

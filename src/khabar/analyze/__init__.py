"""Analysis steps: entities, dates, numbers, quotes, events, summary.

This package shares its name with the function `khabar.analyze`. Importing a step module (as the
pipeline does on its first run) makes Python bind the attribute `khabar.analyze` to this package,
replacing the function; so the package is made callable and calls the function, and both
`from khabar import analyze; analyze(text)` and `khabar.analyze(text)` keep working whichever is bound.
"""

from __future__ import annotations

import sys
import types
from typing import Any


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from khabar.pipeline import analyze

        return analyze(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage

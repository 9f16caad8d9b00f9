"""PEP 562 lazy attributes: a package names what it exports, each is imported on first use.

>>> from plateau_pl._lazy import lazy_getattr
>>> getattr_ = lazy_getattr("demo", {"sqrt": "math"}, namespace={})
>>> getattr_("sqrt")(9.0)
3.0
"""

from __future__ import annotations

import importlib


def lazy_getattr(package: str, exports: dict[str, str], namespace: dict, submodules=()):
    """A module ``__getattr__`` importing ``exports[name]`` (a module path) on first access.

    Names in ``submodules`` resolve to ``f"{package}.{name}"``. The value is cached in
    ``namespace`` (the package's ``globals()``) so the import happens once.
    """

    def __getattr__(name: str):
        if name in exports:
            value = getattr(importlib.import_module(exports[name]), name)
        elif name in submodules:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    return __getattr__

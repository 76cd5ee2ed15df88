"""Meta-package: the full 2016 aiohttp helpers API, re-exported from the aiohttp-* pieces."""

from .__about__ import __version__ as __version__

__all__ = ("__version__",)

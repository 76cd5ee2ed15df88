"""Every one of our seven distributions is installed from this tree.

`aiohttp` and `aiohttp-wsgi` also exist on the package index as unrelated
projects; an install that resolved either from there would import the wrong
code under the right name. This test fails if any installed distribution is
not byte-for-byte this repository's source (wheel install) or an editable
install pointing into it.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
DISTRIBUTIONS = {
    "aiohttp-errors": "aiohttp_errors",
    "aiohttp-streams": "aiohttp_streams",
    "aiohttp-parsers": "aiohttp_parsers",
    "aiohttp-websocket": "aiohttp_websocket",
    "aiohttp-multipart": "aiohttp_multipart",
    "aiohttp-wsgi": "aiohttp_wsgi",
    "aiohttp": "aiohttp",
}


def test_the_repo_has_exactly_these_packages() -> None:
    assert {p.name for p in (REPO / "packages").iterdir() if p.is_dir()} == set(DISTRIBUTIONS)


@pytest.mark.parametrize(("dist", "module"), DISTRIBUTIONS.items())
def test_installed_distribution_is_this_tree(dist: str, module: str) -> None:
    source = REPO / "packages" / dist / "src" / module
    about = (source / "__about__.py").read_text()
    match = re.search(r'__version__ = "([^"]+)"', about)
    assert match is not None
    assert importlib.metadata.version(dist) == match.group(1)

    imported = importlib.import_module(module)
    assert imported.__file__ is not None
    installed = Path(imported.__file__).resolve().parent
    assert getattr(imported, "__version__", None) == match.group(1)
    if installed == source.resolve():
        return  # editable install of this tree
    sources = sorted(p.relative_to(source) for p in source.rglob("*.py"))
    assert sources, f"no sources found under {source}"
    for rel in sources:
        assert (installed / rel).read_bytes() == (source / rel).read_bytes(), (
            f"{dist}: installed {rel} differs from this tree"
        )

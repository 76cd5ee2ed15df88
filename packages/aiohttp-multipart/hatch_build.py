"""Hatch build hook: the optional mypyc twin of the hot modules.

Off by default, so ``pip install`` / ``hatch build`` give the pure wheel.
``HATCH_BUILD_HOOK_ENABLE_CUSTOM=1 hatch build -t wheel`` (or ``uv build``,
``pip wheel``) turns it on: every module named in the hook's ``compiled``
list is copied next to itself as ``<name>_c.py`` (imports between listed
modules rewritten to the twins), the copies are compiled by mypyc in a
scratch directory, and the extension modules are added to a
platform-tagged wheel. The ``swap`` table names pure modules that the
compiled ones import in the form of another (compiled) module with the same
API: ``{"_mask" = "_wordmask"}`` makes ``from ._mask import`` read
``from ._wordmask_c import`` in every twin. Each name in ``runtime`` (a
library the twins call natively, e.g. librt) becomes a requirement of the
compiled wheel, at least the version the twins were compiled against. The
pure modules stay in the wheel, untouched: the package's ``_speedups``
module picks the twins unless AIOHTTP_NO_EXTENSIONS is set. Needs a C
compiler.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        modules: list[str] = list(self.config.get("compiled", []))
        package: str = self.config["package"]
        source = Path(self.root) / "src" / package
        self._scratch = Path(tempfile.mkdtemp(prefix="mypyc-"))
        work = self._scratch / package
        shutil.copytree(source, work, ignore=shutil.ignore_patterns("__pycache__", "*.so"))
        swap: dict[str, str] = dict(self.config.get("swap", {}))
        renames = {name: f"{name}_c" for name in modules}
        renames.update({pure: f"{twin}_c" for pure, twin in swap.items()})
        twins = []
        for name in modules:
            text = (source / f"{name}.py").read_text(encoding="utf-8")
            for old, new in renames.items():
                text = re.sub(rf"from \.{old} import", f"from .{new} import", text)
            twin = work / f"{name}_c.py"
            twin.write_text(text, encoding="utf-8")
            twins.append(str(twin.relative_to(self._scratch)))
        subprocess.run(
            [sys.executable, "-m", "mypyc", "--ignore-missing-imports", *twins],
            cwd=self._scratch,
            check=True,
        )
        force = build_data["force_include"]
        for ext in work.glob("*_c.*.so"):
            force[str(ext)] = f"{package}/{ext.name}"
        # mypyc's shared runtime module for the group sits at the top level.
        for ext in self._scratch.glob("*__mypyc.*.so"):
            force[str(ext)] = ext.name
        for lib in self.config.get("runtime", []):
            build_data["dependencies"].append(f"{lib}>={installed_version(lib)}")
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        scratch = getattr(self, "_scratch", None)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)

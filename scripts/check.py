"""The project's checks, one subcommand each; ``all`` runs them in order.

Run it inside the hatch dev environment (``hatch run check``), which has the
seven packages installed editable plus pytest, mypy, ruff and uv.

Strategy for the installs that must not touch the package index for our own
names (``aiohttp`` and ``aiohttp-wsgi`` on PyPI are unrelated projects):
our wheels are built into ``.build/wheelhouse``; a fresh venv first gets the
third-party packages the target needs (read from the pyproject files, so only
what is declared), and only then our wheels with ``--no-index``, so every one
of our distributions can come from this tree and nowhere else.
"""

from __future__ import annotations

import argparse
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: hatch's env always has tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "packages"
BUILD = ROOT / ".build"
WHEELHOUSE = BUILD / "wheelhouse"
PYTHONS = ("3.10", "3.11", "3.12", "3.13")
# Dependency order: a package appears after everything it depends on.
ORDER = (
    "aiohttp-errors",
    "aiohttp-streams",
    "aiohttp-parsers",
    "aiohttp-websocket",
    "aiohttp-multipart",
    "aiohttp-wsgi",
    "aiohttp",
)
_NAME = re.compile(r"^[A-Za-z0-9._-]+")


def _pyproject(dist: str) -> dict:
    with open(PACKAGES / dist / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def _req_name(req: str) -> str:
    match = _NAME.match(req.strip())
    assert match, req
    return match.group(0).lower().replace("_", "-")


def _closure(dist: str) -> tuple[list[str], list[str]]:
    """Internal distributions `dist` needs (itself included), and the
    third-party requirements they declare, following declared edges only."""
    internal: list[str] = []
    third: list[str] = []
    todo = [dist]
    while todo:
        name = todo.pop()
        if name in internal:
            continue
        internal.append(name)
        for req in _pyproject(name)["project"].get("dependencies", []):
            if _req_name(req) in ORDER:
                todo.append(_req_name(req))
            elif req not in third:
                third.append(req)
    return internal, third


def _test_group(dist: str) -> list[str]:
    groups = _pyproject(dist).get("dependency-groups", {})
    reqs = [r for r in groups.get("test", []) if isinstance(r, str)]
    leaked = [r for r in reqs if _req_name(r) in ORDER]
    assert not leaked, f"{dist}: test group names our own packages: {leaked}"
    return reqs


def run(*cmd: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=cwd, check=True, env=env)


def uv(*args: str | Path) -> None:
    run(sys.executable, "-m", "uv", *args)


# -- subcommands ---------------------------------------------------------------


def install_test_groups() -> None:
    """Install every member's test group into the current (dev) environment."""
    args: list[str] = []
    for dist in ORDER:
        args += ["--group", f"{PACKAGES / dist / 'pyproject.toml'}:test"]
    uv("pip", "install", "--python", sys.executable, *args)


def lint() -> None:
    paths = ("packages", "scripts", "examples", "benchmarks", "fuzz")
    run(sys.executable, "-m", "ruff", "check", *paths)
    # Each sdist carries its own copy of the mypyc build hook; they must not drift.
    hooks = sorted(PACKAGES.glob("*/hatch_build.py"))
    if len({h.read_bytes() for h in hooks}) > 1:
        names = ", ".join(str(h.relative_to(ROOT)) for h in hooks)
        print(f"the build hooks differ: {names}", flush=True)
        raise subprocess.CalledProcessError(1, ["lint", "hatch_build.py"])


def types() -> None:
    """mypy --strict (see mypy.ini) per package: src and tests."""
    for dist in ORDER:
        paths = [p for p in ("src", "tests") if (PACKAGES / dist / p).is_dir()]
        run(
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            "mypy.ini",
            *(PACKAGES / dist / p for p in paths),
        )


# Floor for line coverage of each package's source by the whole test run.
COVERAGE_FLOOR = 95.0
MODULES = {dist: dist.replace("-", "_") for dist in ORDER}


def tests() -> None:
    """All tests once, under coverage; each package's lines must be >= the floor."""
    shutil.rmtree(BUILD / "coverage", ignore_errors=True)
    (BUILD / "coverage").mkdir(parents=True)
    rc = ROOT / "scripts" / "coverage.ini"
    cov = [sys.executable, "-m", "coverage"]
    source = ",".join(MODULES.values())
    run(*cov, "run", f"--rcfile={rc}", f"--source={source}", "-m", "pytest", "-q", "packages")
    run(*cov, "combine", f"--rcfile={rc}", "-q")
    low = []
    for dist, module in MODULES.items():
        out = BUILD / "coverage" / f"{dist}.json"
        include = f"*/packages/{dist}/src/{module}/*"
        run(*cov, "json", f"--rcfile={rc}", "-q", f"--include={include}", "-o", out)
        totals = json.loads(out.read_text())["totals"]
        lines, branches = totals["percent_statements_covered"], totals["percent_branches_covered"]
        print(f"coverage {dist}: lines {lines:.1f}%, branches {branches:.1f}%", flush=True)
        if lines < COVERAGE_FLOOR:
            low.append(dist)
    if low:
        raise subprocess.CalledProcessError(1, ["coverage below the floor:", *low])


def fuzz_smoke() -> None:
    """Each atheris target in fuzz/ for a few seconds (long runs: fuzz/README.md)."""
    run(sys.executable, ROOT / "fuzz" / "run.py", "--all", "--seconds", "5")


def docs() -> None:
    """The Sphinx docs, with every warning an error."""
    # -E: a fresh environment, so warnings of unchanged pages are not hidden.
    run(sys.executable, "-m", "sphinx", "-E", "-W", "-q", "-b", "html", "docs", BUILD / "docs")


def changes() -> None:
    """Each package's pending release notes render from its CHANGES/ fragments.

    towncrier refuses a fragment whose name it cannot read (see the
    ``[tool.towncrier]`` table of each pyproject.toml), which would otherwise
    be left out of the notes without a word; each fragment must also be
    reStructuredText without a docutils warning.
    """
    import docutils.core  # sphinx's dependency, in the dev environment
    import docutils.utils

    for fragment in sorted(PACKAGES.glob("*/CHANGES/*.rst")):
        try:
            docutils.core.publish_doctree(
                fragment.read_text(),
                settings_overrides={"halt_level": 2, "warning_stream": io.StringIO()},
            )
        except docutils.utils.SystemMessage as exc:  # a warning, raised (halt_level 2)
            print(f"{fragment.relative_to(ROOT)}: {exc}", flush=True)
            raise subprocess.CalledProcessError(1, ["changes", str(fragment)]) from exc
    for dist in ORDER:
        about = PACKAGES / dist / "src" / dist.replace("-", "_") / "__about__.py"
        version = re.search(r'__version__ = "([^"]+)"', about.read_text())
        assert version, about
        run(
            sys.executable, "-m", "towncrier", "build", "--draft",
            "--version", version.group(1), cwd=PACKAGES / dist,
        )  # fmt: skip


def build_wheels() -> None:
    shutil.rmtree(WHEELHOUSE, ignore_errors=True)
    WHEELHOUSE.mkdir(parents=True)
    for dist in ORDER:
        uv("build", "--wheel", "--out-dir", WHEELHOUSE, PACKAGES / dist)


def _fresh_venv(path: Path, python: str) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    uv("venv", "--quiet", "--python", python, path)
    return path / "bin" / "python"


def _install_alone(venv_python: Path, dists: list[str]) -> None:
    """Install `dists` from our wheelhouse with only their declared deps."""
    third: list[str] = []
    for dist in dists:
        for req in _closure(dist)[1] + _test_group(dist):
            if req not in third:
                third.append(req)
    uv("pip", "install", "--quiet", "--python", venv_python, *third)
    uv(
        "pip",
        "install",
        "--quiet",
        "--python",
        venv_python,
        "--no-index",
        # uv caches wheels by name and version: a rebuilt 1.0.0 must not be
        # answered with yesterday's 1.0.0.
        "--no-cache",
        "--find-links",
        WHEELHOUSE,
        *dists,
    )


def _pytest_in(venv_python: Path, test_dirs: list[Path]) -> None:
    # Run from a folder outside the source tree, so `import aiohttp_x` can
    # only find the installed wheel; the root pytest.ini still applies.
    run(
        venv_python,
        "-m",
        "pytest",
        "-q",
        "-c",
        ROOT / "pytest.ini",
        "--rootdir",
        ROOT,
        *test_dirs,
        cwd=BUILD,
    )


def _suite_in_fresh_venv(label: str, venv: str, interpreter: str, dists: Sequence[str]) -> bool:
    """A fresh venv on `interpreter` with `dists` installed alone, their tests run."""
    started = time.monotonic()
    try:
        python = _fresh_venv(BUILD / "venvs" / venv, interpreter)
        _install_alone(python, list(dists))
        _pytest_in(python, [PACKAGES / dist / "tests" for dist in dists])
    except subprocess.CalledProcessError:
        print(f"{label}: FAILED", flush=True)
        return False
    print(f"{label}: ok in {time.monotonic() - started:.0f}s", flush=True)
    return True


def isolation(only: list[str] | None = None) -> None:
    """Each package alone: its wheel and declared deps in a fresh venv, its tests.

    Our packages come only from the wheelhouse (``--no-index``); the meta
    package's origin test checks the installed files match this tree.
    """
    build_wheels()
    failed = []
    for dist in only or ORDER:
        if not _suite_in_fresh_venv(f"isolation {dist}", dist, sys.executable, [dist]):
            failed.append(dist)
    if failed:
        raise subprocess.CalledProcessError(1, ["isolation", *failed])


def compiled() -> None:
    """The whole suite against the compiled (mypyc) build: every wheel built
    with its package's build hook on, each package tested alone as in
    isolation, with the twins required where a package has them
    (AIOHTTP_EXPECT_COMPILED=1)."""
    os.environ["HATCH_BUILD_HOOK_ENABLE_CUSTOM"] = "1"
    os.environ["AIOHTTP_EXPECT_COMPILED"] = "1"
    try:
        isolation()
    finally:
        del os.environ["HATCH_BUILD_HOOK_ENABLE_CUSTOM"], os.environ["AIOHTTP_EXPECT_COMPILED"]
        shutil.rmtree(WHEELHOUSE, ignore_errors=True)  # never mix them with pure wheels


def find_pythons() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    for version in PYTHONS:
        candidates = [shutil.which(f"python{version}") or ""]
        candidates += sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"))
        found[version] = None
        for candidate in candidates:
            if (
                candidate
                and subprocess.run([candidate, "-c", "import venv"], capture_output=True).returncode
                == 0
            ):
                found[version] = candidate
                break
    return found


def pythons() -> None:
    """The whole suite against the built wheels on every Python 3.10-3.13 found.

    A missing interpreter is skipped with a message, unless
    REQUIRE_ALL_PYTHONS=1 (CI sets it) makes that an error.
    """
    if not WHEELHOUSE.is_dir():
        build_wheels()
    failed = []
    for version, interpreter in find_pythons().items():
        if interpreter is None:
            print(f"python {version}: not found, skipped", flush=True)
            if os.environ.get("REQUIRE_ALL_PYTHONS") == "1":
                failed.append(f"{version} (missing)")
            continue
        if not _suite_in_fresh_venv(f"python {version}", f"py{version}", interpreter, ORDER):
            failed.append(version)
    if failed:
        raise subprocess.CalledProcessError(1, ["pythons", *failed])


def autobahn() -> None:
    """Autobahn|Testsuite cases 1-10 against examples/ws_echo.py (see scripts/autobahn)."""
    env = {**os.environ, "PYTHON": sys.executable}
    run("bash", ROOT / "scripts" / "autobahn" / "run.sh", env=env)


STEPS = {
    "install-test-groups": install_test_groups,
    "lint": lint,
    "types": types,
    "tests": tests,
    "docs": docs,
    "changes": changes,
    "wheels": build_wheels,
    "isolation": isolation,
    "pythons": pythons,
    "autobahn": autobahn,
    "fuzz": fuzz_smoke,
    "compiled": compiled,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=[*STEPS, "all"])
    parser.add_argument("only", nargs="*", help="isolation: just these packages")
    ns = parser.parse_args()
    step = ns.step
    # The test groups first: hatch runs post-install commands only when it
    # creates the environment, and a reused one may predate a new peer.
    everything = [
        "install-test-groups",
        "lint",
        "types",
        "docs",
        "changes",
        "tests",
        "fuzz",
        "autobahn",
        "isolation",
        "pythons",
        "compiled",
    ]
    names = everything if step == "all" else [step]
    # Every step runs even after a failure, so one run shows all problems.
    failed = []
    for name in names:
        started = time.monotonic()
        print(f"=== {name}", flush=True)
        try:
            if name == "isolation" and ns.only:
                isolation(ns.only)
            else:
                STEPS[name]()
        except subprocess.CalledProcessError as exc:
            print(f"=== {name}: FAILED ({' '.join(map(str, exc.cmd[:3]))})", flush=True)
            failed.append(name)
            continue
        print(f"=== {name}: ok ({time.monotonic() - started:.0f}s)", flush=True)
    if failed:
        print(f"=== FAILED: {', '.join(failed)}", flush=True)
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Sphinx configuration: the API pages are generated from our docstrings."""

project = "aiohttp pieces"
author = "the aiohttp pieces developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_description_target = "documented"
# Type aliases and Protocols in signatures are documented where they live.
nitpicky = False
exclude_patterns = ["_build"]
html_theme = "alabaster"
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
# Parameters typed ``type[...]`` resolve the word "type" against every
# attribute named ``type`` (WSMessage.type): an ambiguity, not a broken link.
suppress_warnings = ["ref.python"]



# Our class docstrings list attributes with ``.. attribute::`` blocks (readable
# in the source and in ``help()``); autodoc would document the same attributes
# again as members. Remember each class's blocks and skip those members.
_documented_in_docstring: set[str] = set()


def _remember_attribute_blocks(app, what, name, obj, options, lines):  # type: ignore[no-untyped-def]  # Sphinx event signature
    if what not in ("class", "exception"):
        return
    # Depending on the order autodoc works in, either the members come later
    # (skip them, below) or they were already seen: then drop the block for
    # every attribute the class itself defines.
    own = set(vars(obj)) | set(getattr(obj, "__annotations__", {}))
    _documented_in_docstring.clear()
    kept: list[str] = []
    skipping = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith(".. attribute::"):
            attr = stripped.split("::", 1)[1].strip()
            _documented_in_docstring.add(attr)
            skipping = attr in own
            if skipping:
                continue
        elif skipping and (not line or line.startswith((" ", "\t"))):
            continue  # the block's indented body
        else:
            skipping = False
        kept.append(line)
    lines[:] = kept


def _skip_repeated_attributes(app, what, name, obj, skip, options):  # type: ignore[no-untyped-def]  # Sphinx event signature
    if what in ("class", "exception") and name in _documented_in_docstring:
        return True
    return None


def setup(app):  # type: ignore[no-untyped-def]  # Sphinx extension hook
    app.connect("autodoc-process-docstring", _remember_attribute_blocks)
    app.connect("autodoc-skip-member", _skip_repeated_attributes)

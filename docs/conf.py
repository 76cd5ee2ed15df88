"""Sphinx configuration: the API pages are generated from our docstrings."""

project = "aiohttp pieces"
author = "the aiohttp pieces developers"
extensions = ["sphinx.ext.autodoc", "sphinx.ext.intersphinx"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
# Type aliases and Protocols in signatures are documented where they live.
nitpicky = False
exclude_patterns = ["_build"]
html_theme = "alabaster"
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}
# Parameters typed ``type[...]`` resolve the word "type" against every
# attribute named ``type`` (WSMessage.type): an ambiguity, not a broken link.
suppress_warnings = ["ref.python"]

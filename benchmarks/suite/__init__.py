"""The benchmark suite behind run_all.py (see README.md)."""

# The package whose compiled (mypyc) twins each workload exercises; its
# ``_speedups`` module says whether they are in use.
TWIN_PACKAGE = {
    "W1": "aiohttp_parsers",
    "W2": "aiohttp_parsers",
    "W3": "aiohttp_websocket",
    "W4": "aiohttp_websocket",
    "W5": "aiohttp_multipart",
    "W6": "aiohttp_streams",
}

"""``python -m aiohttp_wsgi [--host H] [--port P] [--workers N] [module:app]``."""

from ._cli import main

main()

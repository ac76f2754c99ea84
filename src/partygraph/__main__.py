"""``python -m partygraph``: the command line, where the ``partygraph`` script is not on PATH
(the usual fallback on Windows)."""

import sys

from .cli import main

sys.exit(main())

"""Attention Explorer from a checkout: `python main.py` opens the explorer; `models`, `export`, ... run headless.

A thin launcher, not installed: `pip install .` gives the same program as the `attention-explorer` command
(explorer.cli.main), and `python -m explorer` runs it too.
"""

import sys

from explorer.cli.main import main

if __name__ == "__main__":
    sys.exit(main())

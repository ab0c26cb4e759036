"""Attention Explorer: `python main.py` opens the explorer; `models`, `export` and `bench` run headless."""

import sys

from explorer.cli.main import main

if __name__ == "__main__":
    sys.exit(main())

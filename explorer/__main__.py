"""`python -m explorer`: the same as the installed `attention-explorer` command and a checkout's `python main.py`."""

import sys

from explorer.cli.main import main

if __name__ == "__main__":
    sys.exit(main())

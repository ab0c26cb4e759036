"""The `lab` command's grammar: each lab page adds its own subcommands from the module listed here.

Every module named in LAB_ARGUMENTS offers `add_parsers(kinds)`, which adds subcommands to the `lab` command and
sets `handler=("module", "function")` on each; building them imports neither torch nor Qt, so `--help` stays fast.
"""

from __future__ import annotations

import importlib

# One module per lab; each adds its subcommands (e.g. `lab train`, `lab positions`).
LAB_ARGUMENTS: tuple[str, ...] = ("explorer.cli.lab_foundations_parser", "explorer.cli.lab_train_parser")


def add_lab_parser(commands) -> None:
    lab = commands.add_parser("lab", help="the labs, headless: train small models, and the textbook constructions")
    kinds = lab.add_subparsers(dest="lab", metavar="page", required=True)
    for module in LAB_ARGUMENTS:
        importlib.import_module(module).add_parsers(kinds)

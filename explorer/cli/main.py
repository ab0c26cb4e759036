"""The command line: `models`, `export`, `analyze`, `lab`, `bench` and `qa` run headless; no command opens the explorer.

Each command lives in its own module and is imported only when it runs, so that `--help` and a typo cost no
torch or Qt import, and so that no command module needs anything from this one.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable

from explorer.cli.parser import build_parser

Command = Callable[[argparse.Namespace], int]

# command name -> (module, function); "gui" is what runs when no command is given.
COMMANDS: dict[str, tuple[str, str]] = {
    "gui": ("explorer.gui.app", "launch"),
    "models": ("explorer.cli.models_command", "list_models"),
    "export": ("explorer.cli.export_command", "export"),
    "analyze": ("explorer.cli.analyze_command", "analyze"),
    "lab": ("explorer.cli.lab_command", "lab"),
    "bench": ("explorer.bench.command", "bench"),
    "qa": ("explorer.qa.command", "qa"),
}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    return guarded(run_command, args, debug=args.debug)


def command_for(name: str) -> Command:
    module, function = COMMANDS[name]
    return getattr(importlib.import_module(module), function)


def run_command(args: argparse.Namespace) -> int:
    # The import happens here, inside guarded(), so a broken installation is reported like any other error.
    return command_for(args.command or "gui")(args)


def guarded(command: Command, args: argparse.Namespace, debug: bool) -> int:
    """Run a command; user errors become one line on stderr and exit status 2, never a traceback."""
    try:
        return command(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ValueError, OSError) as error:
        if debug:
            raise
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # last resort: still one line, with a hint for bug reports
        if debug:
            raise
        print(f"error: unexpected {type(error).__name__}: {error} (rerun with --debug for details)", file=sys.stderr)
        return 1

"""`python main.py lab …`: runs the handler that the chosen subcommand names, imported only when it runs."""

from __future__ import annotations

import argparse
import importlib


def lab(args: argparse.Namespace) -> int:
    module, function = args.handler
    return getattr(importlib.import_module(module), function)(args)

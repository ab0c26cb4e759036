"""`python main.py models`: the catalogue as a table or JSON."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

import models
from explorer.setup_check import models_install_command

COLUMNS = (
    ("name", "name"),
    ("architecture", "architecture"),
    ("layers", "n_layers"),
    ("heads", "n_heads"),
    ("kv-heads", "n_kv_heads"),
    ("context", "n_ctx"),
    ("source", "origin"),
)


def list_models(args: argparse.Namespace) -> int:
    entries = models.catalogue()
    if getattr(args, "json", False):
        print(json.dumps([asdict(e) for e in entries], indent=2))
        return 0
    usable = [entry for entry in entries if entry.usable]
    unusable = [entry for entry in entries if not entry.usable]
    if not usable:
        print(f"No usable models found. Install the shipped ones with:\n  {models_install_command()}\n(see the README)")
    else:
        print_table(usable)
    if unusable:
        # Listed apart, with the reason: a damaged model must neither hide the others nor vanish silently.
        print("\nUnusable:")
        for entry in unusable:
            print(f"  {entry.name} ({entry.origin}, {entry.path}): {entry.problem}")
    return 0 if usable else 1


def print_table(entries: list) -> None:
    rows = [[title for title, _ in COLUMNS]]
    for entry in entries:
        rows.append([str(getattr(entry, field)) for _, field in COLUMNS])
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    print("\nFiles:")
    for entry in entries:
        print(f"  {entry.name}: {entry.path}")

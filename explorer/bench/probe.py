"""A fresh process for one benchmark configuration, reporting its peak resident memory as JSON.

    python -m explorer.bench.probe --model M --ids ids.json --device cpu --side ours|hf

The token ids come from the parent in a file, so the transformers side never loads our engine's copy of the
weights and its figure is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
from pathlib import Path

import torch

import models
from explorer.bench.long_context import switch_to_pixels
from explorer.bench.reference import hf_forward, load_reference


def peak_rss_mb() -> float:
    """This process's own peak resident memory.

    On Linux ru_maxrss survives execve, so a child started by a big parent would report the parent's peak;
    VmHWM belongs to the new address space and starts afresh.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024**2 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, kB elsewhere


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--ids", required=True, help="JSON file with the token ids")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--side", choices=("ours", "hf"), required=True)
    args = parser.parse_args(argv)
    ids = json.loads(Path(args.ids).read_text())
    if args.side == "ours":
        model = models.load(args.model, device=args.device)
        # What the explorer holds: the run, plus the map on screen after a few layer/head switches (block summaries
        # at 1,600 pixels once the text is longer than that: the window never holds N × N there).
        run = model.run_ids([ids])
        for layer, head in ((0, 0), (model.config.n_layers // 2, 1), (model.config.n_layers - 1, 2)):
            switch_to_pixels(run, layer, min(head, model.config.n_heads - 1))
    else:
        reference = load_reference(args.model, args.device)
        hf_forward(reference, ids, torch.device(args.device))
    print(json.dumps({"peak_rss_mb": peak_rss_mb()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Peak memory per configuration, measured in a fresh process (probe.py) so neither side inflates the other."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # where `python -m explorer.bench.probe` resolves
PROBE_TIMEOUT_S = 3600


def peak_rss(model_name: str, ids: list[int], device: str, side: str) -> float | None:
    """Peak RSS (MB) of a fresh process that loads the model and does one side's work on these ids.

    None when the probe fails: memory is one figure among many, and its absence is logged, not fatal.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(ids, handle)
    command = [sys.executable, "-m", "explorer.bench.probe", "--model", model_name]
    command += ["--ids", handle.name, "--device", device, "--side", side]
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=PROBE_TIMEOUT_S)
    finally:
        os.unlink(handle.name)
    if result.returncode != 0:
        log.warning("peak RSS probe (%s, N=%d) failed: %s", side, len(ids), result.stderr.strip().splitlines()[-1:])
        return None
    return float(json.loads(result.stdout.strip().splitlines()[-1])["peak_rss_mb"])

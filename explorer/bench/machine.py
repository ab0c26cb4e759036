"""What the benchmark ran on, printed with every report so figures from different machines are not mixed."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def host() -> dict:
    """The CPU, core count and Python version; torch-free, for the startup benchmark."""
    return {"cpu": cpu_name(), "cores": os.cpu_count(), "python": platform.python_version()}


def machine() -> dict:
    """host() plus the torch build and its thread count, which set the engine's speed."""
    import torch  # here, not at the top: the startup benchmark must not pay for it

    info = host()
    return {
        "cpu": info["cpu"],
        "cores": info["cores"],
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": info["python"],
    }


def cpu_name() -> str:
    """The model name from /proc/cpuinfo on Linux (platform.processor() is often empty there)."""
    name = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return name

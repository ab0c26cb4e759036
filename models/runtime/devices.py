"""Device choice and honest timing: CPU always, CUDA or MPS when present."""

from __future__ import annotations

import time

import torch

from models.options import DEVICE_CHOICES  # defined torch-free there, so a command-line parser needs no torch


def cuda_available() -> bool:
    return torch.cuda.is_available()


def mps_available() -> bool:
    return hasattr(torch.backends, "mps") and torch.backends.mps.is_available()


def available_devices() -> list[str]:
    devices = ["cpu"]
    if cuda_available():
        devices.append("cuda")
    if mps_available():
        devices.append("mps")
    return devices


def resolve_device(name: str | None) -> torch.device:
    """'auto' picks CUDA, then MPS, then CPU. Asking for a device that is absent is a user error."""
    name = (name or "auto").lower()
    if name not in DEVICE_CHOICES:
        raise ValueError(f"device: unknown device '{name}'; allowed: {', '.join(DEVICE_CHOICES)}")
    if name == "auto":
        return torch.device("cuda" if cuda_available() else "mps" if mps_available() else "cpu")
    if name not in available_devices():
        raise ValueError(
            f"device: '{name}' is not available on this machine; available: {', '.join(available_devices())}"
        )
    return torch.device(name)


def synchronize(device: torch.device) -> None:
    """Wait for queued kernels, so a timing covers the work and not just its launch."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def is_out_of_memory(error: BaseException) -> bool:
    return isinstance(error, torch.cuda.OutOfMemoryError) or "out of memory" in str(error).lower()


class Stopwatch:
    """Laps in milliseconds, synchronising the device at each reading."""

    def __init__(self, device: torch.device):
        self.device = device
        synchronize(device)
        self._start = self._last = time.perf_counter()

    def lap(self) -> float:
        synchronize(self.device)
        now = time.perf_counter()
        elapsed, self._last = (now - self._last) * 1000.0, now
        return elapsed

    def total(self) -> float:
        synchronize(self.device)
        return (time.perf_counter() - self._start) * 1000.0

"""Exceptions the engine raises for problems a user can fix.

All of them are ValueErrors, so a caller that reports bad input with one handler catches them too.
"""


class ModelLoadError(ValueError):
    """A model could not be found, read or converted. The message says what to do."""


class UnsupportedArchitectureError(ModelLoadError):
    """The checkpoint is readable but describes an architecture the engine does not implement."""


class UnsafeCheckpointError(ModelLoadError):
    """A pickle checkpoint (.bin/.pt/.pth/.ckpt) was offered; unpickling can run arbitrary code."""


class NumericalError(ValueError):
    """A map or probability came out non-finite, or its rows do not sum to 1: never shown, always explained.

    The message names what overflowed and the option to change (a temperature too close to 0, say).
    """


class Cancelled(Exception):
    """Raised from a progress callback to abandon a long job (load, dequantization, export)."""

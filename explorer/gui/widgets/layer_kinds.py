"""Layer types in words: local (a sliding window) or global, for models whose layers differ (Gemma 3: five local
layers of a 512-token window to every global one). Plain strings from the engine ("local 512", "global") in the
interface's language; nothing is said for a model whose layers are all alike."""

from __future__ import annotations

from explorer.gui.i18n import tr


def differ(kinds) -> bool:
    """Whether the layers are of more than one kind (only then is a layer's kind worth saying)."""
    return len(set(kinds)) > 1 or any(kind != "global" for kind in kinds)


def kind_label(kind: str) -> str:
    """"local 512" -> "local, window 512", "global" -> "global", translated."""
    if kind.startswith("local "):
        return tr("local, window {window}").format(window=kind.split(" ", 1)[1])
    return tr("global")


def kind_mark(kind: str) -> str:
    """One letter for an axis label: L (local) or G (global)."""
    return tr("L", "local layer") if kind.startswith("local") else tr("G", "global layer")


def kinds_summary(kinds) -> str:
    """"local, window 512 ×15, global ×3": how many layers of each kind, in order of first appearance."""
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = counts.get(kind, 0) + 1
    return ", ".join(f"{kind_label(kind)} ×{count}" for kind, count in counts.items())


def marks_note() -> str:
    return tr("L: a local layer (it sees a sliding window of recent tokens); G: a global layer (it sees them all)")


def own_mask_tip() -> str:
    """The variant panel's "model's own" mask of a model whose layers differ, and how to change every layer."""
    return tr(
        "Each layer keeps its own mask: local layers see a sliding window, global layers every earlier token. "
        "Choose Causal to make every layer global, or tick Window to give every layer the same window."
    )

"""Between the variant panel's plain controls and the engine's typed RunOptions.

The panel (a widget) knows nothing of the engine. Mask strings are composed and parsed only by
models.options (MaskSpec.describe / parse_mask), so the app has one mask grammar.
"""

from __future__ import annotations

from explorer.gui.i18n import tr
from models.options import MaskSpec, RunOptions, parse_mask

from .widgets.variant_panel import VariantChoice


def choice_from_options(options: RunOptions) -> VariantChoice:
    spec = parse_mask(options.mask)
    if spec.prefix is not None:
        base = "prefix"
    else:
        base = spec.base or "model"
    return VariantChoice(
        mask_base=base,
        prefix=spec.prefix if spec.prefix is not None else VariantChoice.prefix,
        window=spec.window,
        no_self=spec.no_self,
        padding_mask=options.padding_mask,
        pos=options.pos,
        rope_theta=options.rope_theta,
        kv_heads=options.kv_heads,
        temperature=options.temperature,
    )


def options_from_choice(choice: VariantChoice) -> RunOptions:
    spec = MaskSpec(
        base=choice.mask_base if choice.mask_base in ("causal", "bidirectional") else None,
        no_self=choice.no_self,
        window=choice.window,
        prefix=choice.prefix if choice.mask_base == "prefix" else None,
    )
    return RunOptions(
        mask=spec.describe() or None,
        padding_mask=choice.padding_mask,
        pos=choice.pos,
        rope_theta=choice.rope_theta,
        kv_heads=choice.kv_heads,
        temperature=choice.temperature,
    )


def shown_words() -> dict[str, str]:
    """The engine's English keys for encodings and masks as the status bar shows them, in the interface's language
    (built when asked, so tr() sees the language in force)."""
    return {
        "rope": tr("RoPE"),
        "learned": tr("learned"),
        "sinusoidal": tr("sinusoidal"),
        "alibi": tr("ALiBi"),
        "none": tr("none"),
        "bidirectional": tr("bidirectional"),
        "causal": tr("causal"),
        "no-self": tr("no-self"),
    }


def shown_mask(described: str) -> str:
    """'causal,window=8' with its words translated; a setting's number (window=8, prefix=4) stays as typed."""
    words = shown_words()
    return ",".join(words.get(part, part) for part in described.split(","))


def describe_run_options(run) -> str:
    """The status bar's summary of what a run used (RunInfo.options is the engine's ResolvedOptions)."""
    o = run.options
    # Gemma 3's own: its masks per layer ("causal,window=512 ×15; causal ×3") and both θs, from its description
    differ = getattr(o, "layer_masks", ()) or getattr(o, "layer_rope_thetas", ())
    described = o.describe() if differ else {"mask": o.mask.describe()}
    name = shown_words().get(o.positional, o.positional)
    pos = f"{name} θ={o.rope_theta:g}" if o.positional == "rope" else name
    if o.positional == "rope" and described.get("local_rope_theta") is not None:
        pos = tr("{name} θ={global_theta} (global), {local_theta} (local)").format(
            name=name, global_theta=f"{o.rope_theta:g}", local_theta=f"{described['local_rope_theta']:g}"
        )
    padding = tr("on") if o.padding_mask else tr("off")
    summary = tr("mask {mask} · pos {pos} · KV heads {kv}/{heads} ({kind}) · T={temperature} · padding mask {padding}")
    masks = [part.rpartition(" ×") if " ×" in part else (part, "", "") for part in described["mask"].split("; ")]
    return summary.format(
        mask="; ".join(shown_mask(mask) + times + count for mask, times, count in masks),
        pos=pos,
        kv=run.kv_heads,
        heads=run.n_heads,
        kind=run.kind,
        temperature=f"{o.temperature:g}",
        padding=padding,
    )

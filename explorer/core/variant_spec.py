"""A variant in one string, as `analyze compare --a/--b` take it: "mask=causal,window=8,kv-heads=1" to RunOptions.

The grammar: comma-separated items. An item `KEY=VALUE` whose key is one of VARIANT_KEYS sets that run option;
every other item (`causal`, `window=8`, `no-self`, `prefix=4`) is a part of the mask, so "window=8" alone and
"mask=causal,window=8" both work. The mask parts are joined and handed to models.options.parse_mask, the one
mask grammar, and the whole is checked by RunOptions.checked: a mistake is a ValueError naming the variant.
"" or "model" is the model's own variant. Torch-free, so the command line can refuse a bad spec before a load.
"""

from __future__ import annotations

from models.options import POS_CHOICES, RunOptions, short_repr

# spec key -> RunOptions field
VARIANT_KEYS = {
    "mask": "mask",
    "pos": "pos",
    "rope-theta": "rope_theta",
    "kv-heads": "kv_heads",
    "temperature": "temperature",
    "padding-mask": "padding_mask",
}
SWITCH_WORDS = {"on": True, "true": True, "yes": True, "off": False, "false": False, "no": False}
VARIANT_HELP = (
    "comma list of mask parts (causal, bidirectional, no-self, window=W, prefix=P) and KEY=VALUE items with "
    f'KEY one of {", ".join(VARIANT_KEYS)}; e.g. "mask=causal,window=8" or "kv-heads=1,temperature=0.5"'
)


def parse_variant(text: str | None, name: str = "variant") -> RunOptions:
    """RunOptions from a variant spec; name ("--a", "--b") starts every error message."""
    if text is not None and not isinstance(text, str):
        raise ValueError(f"{name}: {short_repr(text)} is not text; {VARIANT_HELP}")
    if text is None or text.strip().lower() in ("", "model"):
        return RunOptions()
    values: dict[str, object] = {}
    mask_parts: list[str] = []
    for raw in text.split(","):
        item = raw.strip()
        key, equals, value = (piece.strip() for piece in item.partition("="))
        key = key.lower()
        if not item:
            raise ValueError(f"{name}: an empty item in {short_repr(text)}; {VARIANT_HELP}")
        if not equals or key not in VARIANT_KEYS:
            mask_parts.append(item)  # causal, no-self, window=8, ...: parse_mask says whether it is one
            continue
        field = VARIANT_KEYS[key]
        if field in values:
            raise ValueError(f"{name}: {key} is given twice in {short_repr(text)}")
        values[field] = _value(name, key, value)
    if mask_parts:
        if "mask" in values and values["mask"] is not None:
            mask_parts.insert(0, str(values["mask"]))
        values["mask"] = ",".join(mask_parts)
    try:
        return RunOptions(**values).checked()
    except ValueError as error:
        raise ValueError(f"{name}: {error}") from None


def _value(name: str, key: str, value: str) -> object:
    """One KEY=VALUE's value as the RunOptions field wants it; the field's own check follows in checked()."""
    if key == "mask":
        return None if value.lower() in ("", "model") else value
    if key == "pos":
        if value.lower() not in POS_CHOICES:
            raise ValueError(f"{name}: pos={short_repr(value)} is unknown; allowed: {', '.join(POS_CHOICES)}")
        return value.lower()
    if key == "padding-mask":
        if value.lower() not in SWITCH_WORDS:
            raise ValueError(f"{name}: padding-mask={short_repr(value)} is not on or off")
        return SWITCH_WORDS[value.lower()]
    if key == "kv-heads":
        if not (value.isascii() and value.isdigit() and len(value) <= 6):
            raise ValueError(f"{name}: kv-heads={short_repr(value)} is not a whole number of KV heads, e.g. 1")
        return int(value)
    try:  # rope-theta, temperature
        number = float(value)
    except ValueError:
        raise ValueError(f"{name}: {key}={short_repr(value)} is not a number") from None
    return number

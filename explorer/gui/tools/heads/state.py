"""The Heads tool's own state: which score colours the atlas, and how its table is sorted. Plain data, no Qt."""

from __future__ import annotations

from dataclasses import asdict, dataclass

# models.analysis.SCORE_NAMES, spelled out: the tool must not import the engine (torch) when the window opens.
# tests/test_heads_tool.py checks that the two lists agree.
SCORES = ("previous_token", "self", "first_token", "prefix_matching", "special_tokens", "entropy", "mean_distance")
IMPORTANCE = "importance"
CHOICES = (*SCORES, IMPORTANCE)
COLUMNS = ("knockout", "layer", "head", "kv_group", *CHOICES)  # what the table can be sorted by


@dataclass(frozen=True)
class HeadsState:
    score: str = "previous_token"  # applies to any text of two tokens; prefix matching needs a repeat
    sort: str = "layer"
    ascending: bool = True

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> HeadsState:
        """Checked: every problem is a ValueError naming the field."""
        if not isinstance(data, dict):
            raise ValueError('"tools.heads" must be an object with score, sort and ascending')
        unknown = set(data) - {"score", "sort", "ascending"}
        if unknown:
            raise ValueError(f'"tools.heads" has unknown fields {sorted(unknown)}; allowed: score, sort, ascending')
        score = data.get("score", cls.score)
        if score not in CHOICES:
            raise ValueError(f'"tools.heads.score" must be one of {", ".join(CHOICES)}, not {score!r}')
        sort = data.get("sort", cls.sort)
        if sort not in COLUMNS:
            raise ValueError(f'"tools.heads.sort" must be one of {", ".join(COLUMNS)}, not {sort!r}')
        ascending = data.get("ascending", cls.ascending)
        if not isinstance(ascending, bool):
            raise ValueError(f'"tools.heads.ascending" must be true or false, not {ascending!r}')
        return cls(score, sort, ascending)

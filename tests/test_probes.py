"""The repeated-random induction probe: text that tokenizes back to its own random tokens, twice."""

import pytest

from models.analysis import repeated_random
from models.analysis.probes import max_length

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("fixture", ["smollm", "minilm"])
def test_the_probe_is_its_tokens_repeated_and_runs_as_text(fixture, request):
    model = request.getfixturevalue(fixture)
    probe = repeated_random(model, length=40, seed=3)
    assert probe.length == 40 and probe.seed == 3 and len(probe.ids) == 80
    assert probe.ids[:40] == probe.ids[40:]
    assert len(set(probe.ids[:40])) == 40  # no repeat inside a half: every prefix match is the probe's own
    assert not any(model.tokenizer.is_special(i) for i in probe.ids)
    run = model.run(probe.text)
    ordinary = [i for i, special in zip(run.ids[0], run.special[0]) if not special]
    assert ordinary == probe.ids  # what the user sees in the text box is what was probed


def test_the_same_seed_gives_the_same_probe_and_another_seed_another(smollm):
    assert repeated_random(smollm, length=20, seed=7) == repeated_random(smollm, length=20, seed=7)
    assert repeated_random(smollm, length=20, seed=7).ids != repeated_random(smollm, length=20, seed=8).ids


def test_bad_lengths_and_seeds_are_refused_by_name(minilm):
    limit = max_length(minilm)
    assert limit == 512 // 2 - 8
    assert len(repeated_random(minilm, length=limit).ids) == 2 * limit
    for length in (0, -1, limit + 1, 2.5, True, "50"):
        with pytest.raises(ValueError, match="length"):
            repeated_random(minilm, length=length)
    for seed in (-1, 1.0, False, None):
        with pytest.raises(ValueError, match="seed"):
            repeated_random(minilm, length=5, seed=seed)

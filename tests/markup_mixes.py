"""Random pages for comparing a fast HTML reader with `html.parser`: mixes of tricky markup pieces."""

from __future__ import annotations

import random
from collections.abc import Iterator


def random_markup(pieces: list[str], seed: int, count: int, longest: int) -> Iterator[str]:
    """`count` pages, each 1 to `longest` pieces drawn from `pieces` (repeats allowed); a seed gives
    the same pages on every run."""
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(1, longest)))

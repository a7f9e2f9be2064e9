"""Data policies: what each generation of a recursive loop trains on.

Every model in :mod:`lossylib.collapse` runs the same loop. Generation 0 is the real
distribution. Generation 1 is fitted to ``n`` real samples. Generation ``t >= 2`` is fitted
to a training set built from ``n`` new samples by a :class:`DataPolicy`:

``replace``
    only the new samples, all drawn from model ``t - 1`` (the setting of Shumailov et al.);
``accumulate``
    everything so far: the real samples of generation 1 plus every later batch
    (the setting of Gerstgrasser et al.);
``fresh``
    a fraction ``fresh`` of the ``n`` new samples is fresh real data, the rest comes from
    model ``t - 1``.

Examples
--------
>>> p = as_policy("fresh")
>>> p.split(100)
(90, 10)
>>> as_policy("accumulate").combine([1, 2], [3], merge=lambda a, b: a + b)
[1, 2, 3]
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lossylib.checks import check_int, check_real

POLICIES = ("replace", "accumulate", "fresh")
DEFAULT_FRESH = 0.1


@dataclass(frozen=True)
class DataPolicy:
    """What each generation trains on (see the module docstring).

    Parameters
    ----------
    name : {"replace", "accumulate", "fresh"}
    fresh : float
        The fraction of each generation's samples that is fresh real data; only used by
        ``"fresh"`` (must be 0 for the other two).
    """

    name: str = "replace"
    fresh: float = 0.0

    def __post_init__(self) -> None:
        if self.name not in POLICIES:
            raise ValueError(f"policy must be one of {POLICIES}, got {self.name!r}")
        check_real(self.fresh, "fresh", low=0.0, high=1.0)
        if self.name != "fresh" and self.fresh != 0:
            raise ValueError(f"only the 'fresh' policy takes a fresh fraction, not {self.name!r}")

    @property
    def label(self) -> str:
        """A short human-readable name, e.g. ``"fresh 10%"``."""
        return f"fresh {self.fresh:.0%}" if self.name == "fresh" else self.name

    def split(self, n: int) -> tuple[int, int]:
        """``(synthetic, real)``: how many of ``n`` new samples are generated and real."""
        n = check_int(n, "n", 1)
        real = round(self.fresh * n) if self.name == "fresh" else 0
        return n - real, real

    def combine(
        self, pooled: Any, new: Any, merge: Callable[[Any, Any], Any] = operator.add
    ) -> Any:
        """The next training set: ``merge(pooled, new)`` when accumulating, else ``new``.

        ``pooled`` is ``None`` before the first generation (the result is then ``new``).
        """
        if pooled is None or self.name != "accumulate":
            return new
        return merge(pooled, new)


def as_policy(policy: str | DataPolicy) -> DataPolicy:
    """A :class:`DataPolicy` from a name (``"fresh"`` means 10% fresh data) or a policy.

    Examples
    --------
    >>> as_policy("replace").label
    'replace'
    >>> as_policy(DataPolicy("fresh", 0.25)).label
    'fresh 25%'
    """
    if isinstance(policy, DataPolicy):
        return policy
    if policy == "fresh":
        return DataPolicy("fresh", DEFAULT_FRESH)
    return DataPolicy(policy)

"""Narrow targets: what pushing one measured number gains on what it stands for.

- :mod:`.selection`: best-of-n selection against a proxy correlated rho with the true
  value, with normal or heavy-tailed error (regressional and catastrophic Goodhart), the
  exact expected maximum of n normals, best-of-n's KL and Gao et al.'s gold-reward form;
- :mod:`.research`: an automated researcher searching a pool of scikit-learn models on the
  bundled digits against one validation set, with remedies;
- :mod:`.holdout`: the reusable holdout (Thresholdout) and the null model of a search;
- :mod:`.metrics`: a smooth per-token loss turned into exact-match accuracy (p^k), and a
  real learning curve on the digits, read on test digits as they are and moved sideways.

Examples
--------
>>> from lossylib.proxy import best_of_n, expected_max_normal
>>> r = best_of_n(20, 0.5, trials=20_000, seed=3)
>>> abs(r.true_mean - 0.5 * expected_max_normal(20)) < 4 * r.true_se
True
"""

from .gao import GaoCheck, GaoFit, fit_gao, gao_check, gao_curve
from .holdout import Thresholdout, independent_noise_max, null_expected_max, null_search
from .research import (
    FAMILIES,
    FEATURES,
    HOLDOUTS,
    SEARCHES,
    Config,
    ResearchRuns,
    autoresearch,
    configs,
    digits,
    pool_ranking,
    pool_ranking_se,
    split_scores,
)
from .selection import (
    BestOfN,
    best_of_n,
    bon_kl,
    expected_max_normal,
    gain_theory,
    n_grid,
    normal_gain_theory,
    peak_true_gain,
)

__all__ = [
    "FAMILIES",
    "FEATURES",
    "HOLDOUTS",
    "SEARCHES",
    "BestOfN",
    "Config",
    "GaoCheck",
    "GaoFit",
    "ResearchRuns",
    "Thresholdout",
    "autoresearch",
    "best_of_n",
    "bon_kl",
    "configs",
    "digits",
    "expected_max_normal",
    "fit_gao",
    "gao_check",
    "gain_theory",
    "independent_noise_max",
    "gao_curve",
    "n_grid",
    "normal_gain_theory",
    "null_expected_max",
    "null_search",
    "peak_true_gain",
    "pool_ranking",
    "pool_ranking_se",
    "split_scores",
]

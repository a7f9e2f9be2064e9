"""Curation: can filtering, verification and fresh data save a loop that learns from itself?

- :mod:`.regression`: linear regression trained on its own predictions, replacing or
  accumulating data (Gerstgrasser et al. 2024), with the closed forms;
- :mod:`.filters`: likelihood and quality filters and a noisy verifier inside the
  recursive vocabulary loop of :mod:`lossylib.collapse` (Feng et al. 2024, in a toy);
- :mod:`.restore`: sharpening, denoising and re-saving between JPEG generations,
  measured against the original.

The data policies (replace, accumulate, fresh) are those of
:mod:`lossylib.collapse.policies`.

Examples
--------
>>> from lossylib.curation import regression_loop
>>> regression_loop(dim=4, samples=12, generations=3, trials=10).shape
(3,)
"""

from .filters import (
    FILTERS,
    CurationRuns,
    critical_false_accept,
    curate_vocabulary,
    drop_unlikely,
    keep_top,
    reweight,
    verify,
    wrong_share_limit,
    wrong_share_theory,
)
from .regression import (
    ACCUMULATE_BOUND,
    DESIGNS,
    STORES,
    late_slope,
    real_error,
    regression_errors,
    regression_loop,
    regression_theory,
)
from .restore import (
    RESTORATION_LABELS,
    RESTORATIONS,
    SHARPEN_PERCENT,
    TV_WEIGHT,
    detail_correlation,
    restoration_run,
    restoration_table,
    restore,
    sharpen,
    tv_denoise,
)

__all__ = [
    "ACCUMULATE_BOUND",
    "DESIGNS",
    "FILTERS",
    "RESTORATION_LABELS",
    "RESTORATIONS",
    "STORES",
    "SHARPEN_PERCENT",
    "TV_WEIGHT",
    "CurationRuns",
    "critical_false_accept",
    "curate_vocabulary",
    "detail_correlation",
    "drop_unlikely",
    "keep_top",
    "late_slope",
    "real_error",
    "regression_errors",
    "regression_loop",
    "regression_theory",
    "restoration_run",
    "restoration_table",
    "restore",
    "reweight",
    "sharpen",
    "tv_denoise",
    "verify",
    "wrong_share_limit",
    "wrong_share_theory",
]

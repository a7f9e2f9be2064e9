"""Self-training: loops that learn from their own outputs, with and without a verifier.

- :mod:`.addition`: the task family, adding two ``n``-digit numbers (level ``n``);
- :mod:`.policy`: a learned column-addition policy (a probability table fitted from
  traces), sampled attempts and their exact success probability;
- :mod:`.verifiers`: perfect, noisy (a false-accept rate), self-judging or no filter;
- :mod:`.expert`: expert iteration (attempt, verify, refit) with held-out levels harder
  than anything in the training data;
- :mod:`.digits`: a generative model of handwritten digits refitted on its own samples.

Examples
--------
>>> from lossylib.selftrain import expert_iteration
>>> run = expert_iteration(2, verifier="none", seed=1, attempts=300)
>>> run.success.shape
(3, 10)
"""

from . import digits
from .addition import MAX_LEVEL, addend_range, answer_digits, column_digits, problems, to_digits
from .expert import (
    DATA_POLICIES,
    ExpertRun,
    column_success,
    expert_iteration,
    held_out,
    shared_run,
)
from .policy import (
    Attempts,
    DigitPolicy,
    correct_traces,
    reachable_contexts,
    true_outcomes,
    wrong_carry_only,
)
from .verifiers import NAMED, check_verifier, false_accept_rate, keep

__all__ = [
    "digits",
    "DATA_POLICIES",
    "MAX_LEVEL",
    "NAMED",
    "Attempts",
    "DigitPolicy",
    "ExpertRun",
    "addend_range",
    "answer_digits",
    "column_digits",
    "column_success",
    "check_verifier",
    "correct_traces",
    "expert_iteration",
    "false_accept_rate",
    "held_out",
    "keep",
    "problems",
    "reachable_contexts",
    "shared_run",
    "to_digits",
    "true_outcomes",
    "wrong_carry_only",
]

"""Expert iteration: a learned policy that trains on the attempts a verifier accepts.

Generation 0 is a :class:`~lossylib.selftrain.policy.DigitPolicy` fitted on a few worked
examples of easy sums (levels up to ``start_level``). Every generation it attempts
``attempts`` fresh problems spread evenly over levels ``1..train_level``, a verifier
(:mod:`lossylib.selftrain.verifiers`) keeps some attempts, and the next policy is
fitted on the kept traces: only this generation's (``data="replace"``), or the worked
examples plus everything kept so far (``data="accumulate"``). Capability is the exact
probability that a sampled attempt is right, averaged over a fixed held-out set at every
level ``1..eval_level``; levels above ``train_level`` are never attempted in training
and levels above ``start_level`` never appear in the worked examples, so a gain there
is a policy solving what no training example showed (Anthony, Tian & Barber 2017;
Zelikman et al. 2022).

A step has :data:`~lossylib.selftrain.policy.OUTCOMES` (20) possible outcomes, so a
context the policy was never trained on is guessed right one time in 20. With a perfect
verifier, ``answer_space`` emulates a harder guess (see :func:`expert_iteration`).

Examples
--------
>>> run = expert_iteration(3, "perfect", seed=0)
>>> run.success.shape, int(run.levels[-1])
((4, 10), 10)
>>> bool(run.success[-1, 0] > run.success[0, 0])
True
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from lossylib.checks import check_int, check_real, check_seed

from .addition import _draw_problems, addend_range, check_count, check_level, problems
from .policy import (
    CONTEXTS,
    OUTCOMES,
    DigitPolicy,
    StackedColumns,
    columns,
    correct_traces,
    stack_columns,
)
from .verifiers import check_verifier, false_accept_rate, keep

DATA_POLICIES = ("replace", "accumulate")


@dataclass(frozen=True)
class ExpertRun:
    """One run of :func:`expert_iteration`.

    Attributes
    ----------
    success : ndarray, shape (generations + 1, levels)
        Held-out success rate per generation (row 0: the starting policy) and level.
    levels : ndarray of int
        The difficulty labels: the number of digits of each addend.
    greedy : ndarray, shape (generations + 1, levels)
        Held-out share answered right by always writing the most likely outcome: what
        the policy *knows*, as opposed to how reliably it samples it.
    known : ndarray of int, shape (generations + 1,)
        Contexts (of 200) whose most likely outcome is right.
    right_chance : ndarray, shape (generations + 1, 200)
        Each generation's chance of writing the right outcome in each context
        (:meth:`~lossylib.selftrain.policy.DigitPolicy.right_chance`): how reachable the
        right step still is for a sampled attempt.
    known_contexts : ndarray of bool, shape (generations + 1, 200)
        Which contexts each generation knows (``known`` counts them).
    kept, kept_wrong : ndarray of int, shape (generations,)
        Attempts the verifier accepted each generation, and how many of them were wrong.
    tried_wrong : ndarray of int, shape (generations,)
        Wrong attempts each generation, kept or not.
    tried_wrong_carry : ndarray of int, shape (generations,)
        Of those, the ones with every digit right: wrong only in the final carry.
    final_table : ndarray, shape (200, 20)
        The last policy's table (:attr:`DigitPolicy.table
        <lossylib.selftrain.policy.DigitPolicy.table>`): which outcome it favours where.
    start_level, train_level : int
        The hardest level in the worked examples, and in the attempts.
    """

    success: np.ndarray
    levels: np.ndarray
    greedy: np.ndarray
    known: np.ndarray
    kept: np.ndarray
    kept_wrong: np.ndarray
    start_level: int
    train_level: int
    right_chance: np.ndarray | None = field(default=None, compare=False)
    known_contexts: np.ndarray | None = field(default=None, compare=False)
    tried_wrong: np.ndarray | None = field(default=None, compare=False)
    tried_wrong_carry: np.ndarray | None = field(default=None, compare=False)
    final_table: np.ndarray | None = field(default=None, compare=False)
    settings: dict = field(default_factory=dict, compare=False)

    @property
    def wrong_share(self) -> np.ndarray:
        """The share of wrong answers among the accepted attempts, per generation."""
        return self.kept_wrong / np.maximum(self.kept, 1)

    @property
    def false_accepts(self) -> np.ndarray:
        """The share of wrong attempts the verifier accepted, per generation: its
        false-accept rate as measured (0 in a generation without a wrong attempt)."""
        return self.kept_wrong / np.maximum(self._wrong_attempts(), 1)

    @property
    def carry_mistakes(self) -> np.ndarray:
        """The share of wrong attempts that are wrong only in the final carry, per
        generation (0 in a generation without a wrong attempt)."""
        if self.tried_wrong_carry is None:
            raise ValueError("this run did not record its wrong attempts (tried_wrong_carry)")
        return self.tried_wrong_carry / np.maximum(self._wrong_attempts(), 1)

    def _wrong_attempts(self) -> np.ndarray:
        """:attr:`tried_wrong`, or a one-line error for a run that did not record it."""
        if self.tried_wrong is None:
            raise ValueError("this run did not record its wrong attempts (tried_wrong)")
        return self.tried_wrong


def held_out(eval_level: int, per_level: int, seed: int = 12345) -> list[tuple]:
    """The fixed held-out problems: ``per_level`` sums at each level ``1..eval_level``."""
    eval_level = check_level(eval_level, "eval_level")
    per_level = check_count(per_level, "per_level", 1)
    rng = np.random.default_rng(check_seed(seed))
    return [problems(lv, per_level, rng) for lv in range(1, eval_level + 1)]


@functools.cache
def _held_out_columns(eval_level: int, per_level: int) -> StackedColumns:
    """:func:`columns` of the :func:`held_out` problems, stacked (:func:`stack_columns`)
    and read-only: the fixed test set of :func:`expert_iteration`, made once."""
    sets = [columns(a, b, lv) for lv, (a, b) in enumerate(held_out(eval_level, per_level), 1)]
    stacked = stack_columns(sets)
    for arr in (*stacked.right, *stacked.steps, stacked.last):
        arr.flags.writeable = False
    return stacked


def _counts(contexts: np.ndarray, outcomes: np.ndarray) -> np.ndarray:
    """How often each (context, outcome) pair occurs in traces, flat (200 * 20,), as
    :meth:`DigitPolicy.fit <lossylib.selftrain.policy.DigitPolicy.fit>` counts them."""
    return np.bincount(contexts * OUTCOMES + outcomes, minlength=CONTEXTS * OUTCOMES)


def _fit(counts: np.ndarray, alpha: float) -> DigitPolicy:
    """The policy fitted to flat ``counts`` (:func:`_counts`): the same as fitting it to
    the traces counted, which a loop then need not keep."""
    return DigitPolicy(counts.reshape(CONTEXTS, OUTCOMES), alpha)


def _means(values: list[np.ndarray]) -> np.ndarray:
    """The mean of each array, as ``np.mean`` gives it (the same sum over the same
    count, bit for bit) without its overhead per call."""
    return np.array([np.add.reduce(x) / x.size for x in values])


def expert_iteration(
    generations: int,
    verifier: str | float | Sequence[str | float] = "perfect",
    seed: int = 0,
    *,
    data: str = "accumulate",
    attempts: int = 2000,
    examples: int = 40,
    start_level: int = 2,
    train_level: int = 5,
    eval_level: int = 10,
    per_level: int = 300,
    alpha: float = 0.1,
    self_keep: float = 0.5,
    answer_space: int = OUTCOMES,
) -> ExpertRun:
    """Run expert iteration on column addition (see the module docstring).

    Parameters
    ----------
    generations : int
        Rounds of attempt, verify, refit (>= 0).
    verifier : {"perfect", "none", "self", "skip-carry"} or float, or a sequence of them
        Which attempts are kept; a float is a false-accept rate in [0, 1]. A sequence
        names one verifier per generation (``generations`` of them), e.g. a loop that
        runs unchecked and then gets a checker.
    seed : int
        Seeds the worked examples, the attempts and the verifier (the held-out set is
        the same for every seed).
    data : {"replace", "accumulate"}
        Fit each policy on this generation's kept attempts only, or on the worked
        examples plus everything kept so far.
    attempts : int
        Attempts a generation, spread evenly over levels 1..``train_level`` (at most
        :data:`~lossylib.selftrain.addition.MAX_PROBLEMS`, as are ``examples`` and
        ``per_level``).
    examples : int
        Worked examples in the starting data, spread over levels 1..``start_level``.
    start_level, train_level, eval_level : int
        Hardest level of the worked examples, of the attempts and of the held-out set.
    per_level : int
        Held-out problems per level.
    alpha : float
        The policy's smoothing (see :class:`~lossylib.selftrain.policy.DigitPolicy`).
    self_keep : float
        Fraction of each level kept by the ``"self"`` verifier.
    answer_space : int
        How many answers a guess in an untrained context picks from (>= 20; only with
        the perfect verifier). The policy's table has 20 outcomes, so a larger answer
        space is emulated: a right attempt that met ``k`` contexts absent from the
        training counts is kept with probability ``(20 / answer_space) ** k``. With a
        perfect verifier the kept attempts are then exactly the right attempts of a
        policy whose untrained rows are a uniform guess over ``answer_space`` answers
        (the table's 20 and others, always wrong), so right one time in
        ``answer_space``; its trained rows are the table's. The measurements still read
        the 20-outcome table, which counts an untrained context's guess right one time
        in 20. ``20`` is the run without emulation, draw for draw.

    Examples
    --------
    >>> easy = expert_iteration(5, "perfect", seed=0, attempts=500)
    >>> hard = expert_iteration(5, "perfect", seed=0, attempts=500, answer_space=2000)
    >>> bool(hard.known[-1] < easy.known[-1])
    True
    """
    generations = check_int(generations, "generations", 0)
    if isinstance(verifier, list | tuple | np.ndarray):
        if len(verifier) != generations:
            raise ValueError(
                f"verifier must name one verifier per generation ({generations}), "
                f"got {len(verifier)}"
            )
        verifier = tuple(check_verifier(v.item() if hasattr(v, "item") else v) for v in verifier)
        verifiers = verifier
    else:
        verifier = check_verifier(verifier)
        verifiers = (verifier,) * generations
    if data not in DATA_POLICIES:
        raise ValueError(f"data must be one of {DATA_POLICIES}, got {data!r}")
    check_seed(seed)
    attempts = check_count(attempts, "attempts", 1)
    examples = check_count(examples, "examples", 1)
    start_level = check_level(start_level, "start_level")
    train_level = check_level(train_level, "train_level")
    eval_level = check_level(eval_level, "eval_level")
    per_level = check_count(per_level, "per_level", 1)
    check_real(alpha, "alpha", low=0.0, low_open=True)
    check_real(self_keep, "self_keep", low=0.0, high=1.0, low_open=True)
    if not start_level <= train_level <= eval_level:
        raise ValueError("levels must satisfy start_level <= train_level <= eval_level")
    answer_space = check_int(answer_space, "answer_space", OUTCOMES)
    if answer_space != OUTCOMES and any(false_accept_rate(v) != 0.0 for v in verifiers):
        raise ValueError(
            f"answer_space other than {OUTCOMES} is emulated exactly only with the perfect "
            f"verifier, got verifier {verifier!r}"
        )
    emulate = answer_space != OUTCOMES
    thin = OUTCOMES / answer_space  # the chance a guess right 1 in 20 stays right

    rng = np.random.default_rng(seed)
    test = _held_out_columns(eval_level, per_level)

    counts = np.zeros(CONTEXTS * OUTCOMES, dtype=np.int64)
    for lv, n in enumerate(np.array_split(np.arange(examples), start_level), start=1):
        c, o = correct_traces(*problems(lv, n.size, rng), lv)
        counts += _counts(c.ravel(), o.ravel())
    policy = _fit(counts, alpha)

    def measure(p: DigitPolicy) -> tuple[np.ndarray, np.ndarray]:
        return _means(p.success_each(test)), _means(p.greedy_each(test))

    success, greedy, chance = [], [], [policy.right_chance()]
    known = [policy.known_contexts()]
    s, g = measure(policy)
    success.append(s)
    greedy.append(g)
    kept, kept_wrong, tried_wrong, tried_wrong_carry = [], [], [], []
    sizes = [n.size for n in np.array_split(np.arange(attempts), train_level)]
    bounds = [addend_range(lv) for lv in range(1, train_level + 1)]
    levels = np.repeat(np.arange(1, train_level + 1), sizes)
    for gen in range(generations):
        cum = np.cumsum(policy.table, axis=1)
        ctx, out, ok, logp, guessed, digits_ok = [], [], [], [], [], []
        untrained = counts.reshape(CONTEXTS, OUTCOMES).sum(axis=1) == 0 if emulate else None
        for lv, (n, bound) in enumerate(zip(sizes, bounds, strict=True), start=1):
            a, b = _draw_problems(bound, n, rng)
            att = policy._sample_unchecked(a, b, lv, rng, cum)
            ctx.append(att.contexts.ravel())
            out.append(att.outcomes.ravel())
            ok.append(att.correct)
            logp.append(att.logp)
            digits_ok.append(att.digits_right)
            if emulate:  # the guesses the attempt made in untrained contexts
                guessed.append(untrained[att.contexts].sum(axis=1))
        correct, digits_right = np.concatenate(ok), np.concatenate(digits_ok)
        mask = keep(
            correct,
            np.concatenate(logp),
            levels,
            verifiers[gen],
            rng,
            self_keep,
            digits_right=digits_right,
        )
        if emulate:  # each guess stays in the table's 20 answers with chance `thin`
            mask &= rng.random(mask.size) < thin ** np.concatenate(guessed)
        kept.append(int(mask.sum()))
        kept_wrong.append(int((mask & ~correct).sum()))
        tried_wrong.append(int((~correct).sum()))
        tried_wrong_carry.append(int((digits_right & ~correct).sum()))
        step_mask = np.repeat(mask, levels)
        new = _counts(np.concatenate(ctx)[step_mask], np.concatenate(out)[step_mask])
        counts = new if data == "replace" else counts + new
        policy = _fit(counts, alpha)
        s, g = measure(policy)
        success.append(s)
        greedy.append(g)
        known.append(policy.known_contexts())
        chance.append(policy.right_chance())

    settings = dict(
        verifier=verifier,
        seed=seed,
        data=data,
        attempts=attempts,
        examples=examples,
        eval_level=eval_level,
        per_level=per_level,
        alpha=alpha,
        answer_space=answer_space,
    )
    return ExpertRun(
        success=np.array(success),
        levels=np.arange(1, eval_level + 1),
        greedy=np.array(greedy),
        known=np.array(known).sum(axis=1),
        kept=np.array(kept, dtype=int),
        kept_wrong=np.array(kept_wrong, dtype=int),
        start_level=start_level,
        train_level=train_level,
        right_chance=np.array(chance),
        known_contexts=np.array(known),
        tried_wrong=np.array(tried_wrong, dtype=int),
        tried_wrong_carry=np.array(tried_wrong_carry, dtype=int),
        final_table=policy.table.copy(),
        settings=settings,
    )


def column_success(run: ExpertRun, level: int | None = None) -> np.ndarray:
    """The chance that one column of a held-out sum of ``level`` (default the hardest)
    is written right, per generation, shape (generations + 1,): the policy's chance of
    the right outcome in each context (:attr:`ExpertRun.right_chance`), averaged over
    the columns of the held-out sums as they are met when the sums are added right.

    A sum of ``n`` columns is right only if every column is, so its success is close to
    this chance to the ``n``-th power: a steady rise per column becomes a late, steep
    rise on long sums.

    Examples
    --------
    >>> run = expert_iteration(2, "perfect", seed=0, attempts=300)
    >>> per_column = column_success(run)
    >>> per_column.shape, bool(per_column[-1] > per_column[0])
    ((3,), True)
    """
    if not isinstance(run, ExpertRun):
        raise TypeError(f"run must be an ExpertRun, got {type(run).__name__}")
    if run.right_chance is None:
        raise ValueError("run must record right_chance (a run of expert_iteration does)")
    top = int(run.levels[-1])
    level = top if level is None else check_int(level, "level", 1)
    if level > top:
        raise ValueError(f"level must be <= {top}, got {level}")
    per_level = run.settings.get("per_level", 300)
    a, b = held_out(top, per_level)[level - 1]
    ctx, _ = correct_traces(a, b, level)
    weights = np.bincount(ctx.ravel(), minlength=run.right_chance.shape[1]) / ctx.size
    return run.right_chance @ weights


def shared_run(
    generations: int,
    verifier: str | float,
    seed: int,
    data: str,
    train_level: int = 5,
    *,
    attempts: int = 2000,
    answer_space: int = OUTCOMES,
) -> ExpertRun:
    """:func:`expert_iteration` with default settings (but ``train_level``, ``attempts``
    and ``answer_space``), cached, so that a page and its claim check share runs.
    ``"perfect"`` and ``0.0`` (and ``"none"`` and ``1.0``) are the same run and share
    one cache entry.

    Examples
    --------
    >>> shared_run(2, "none", 0, "replace") is shared_run(2, 1.0, 0, "replace")
    True
    >>> shared_run(2, "none", 0, "replace", attempts=500).settings["attempts"]
    500
    """
    generations = check_int(generations, "generations", 0)
    v = check_verifier(verifier)
    seed = check_int(seed, "seed", 0)
    if data not in DATA_POLICIES:
        raise ValueError(f"data must be one of {DATA_POLICIES}, got {data!r}")
    train_level = check_level(train_level, "train_level")
    attempts = check_count(attempts, "attempts", 1)
    answer_space = check_int(answer_space, "answer_space", OUTCOMES)
    rate = false_accept_rate(v)
    key = v if rate is None else rate
    return _shared(generations, key, seed, data, train_level, attempts, answer_space)


@functools.cache
def _shared(
    generations: int,
    verifier: str | float,
    seed: int,
    data: str,
    train_level: int,
    attempts: int,
    answer_space: int,
) -> ExpertRun:
    return expert_iteration(
        generations,
        verifier,
        seed,
        data=data,
        train_level=train_level,
        attempts=attempts,
        answer_space=answer_space,
    )

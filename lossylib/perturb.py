"""What happens between saves: the edits and setting changes that keep JPEG from settling.

A perturbation can change three things in one generation: the quality used for the save
(:meth:`Perturbation.quality`), the image just before it is encoded (:meth:`before`) and
the image just after it is decoded (:meth:`after`). "Shift by k pixels and back" shifts
before saving and shifts back after loading, so the picture stays in place while JPEG's
8x8 grid lands somewhere else. Perturbations compose: :func:`chain` applies ``before`` in
order and ``after`` in reverse order.

Examples
--------
>>> import numpy as np
>>> from lossylib import perturb
>>> p = perturb.chain(perturb.Shift(3), perturb.QualityJitter(60, 90))
>>> p.quality(75, np.random.default_rng(0), generation=1) in range(60, 91)
True
>>> perturb.parse("shift:4").name
'shift by 4 px and back'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter


class PerturbationError(ValueError):
    """A bad perturbation setting, with a one-line reason."""


def _finite(
    name: str,
    value: float,
    low: float | None = None,
    high: float | None = None,
    whole: bool = False,
):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise PerturbationError(f"{name} must be a number, got {value!r}")
    if whole and not float(value).is_integer():
        raise PerturbationError(f"{name} must be a whole number, got {value!r}")
    if low is not None and value < low or high is not None and value > high:
        raise PerturbationError(f"{name} must be between {low} and {high}, got {value!r}")
    return value


class Perturbation:
    """Base class: the identity. Subclasses override what they change."""

    name = "none"

    def quality(self, quality: int, rng: np.random.Generator, generation: int) -> int:
        """The quality to use for this generation's save."""
        return quality

    def before(self, image: Image.Image, rng: np.random.Generator, generation: int):
        """The image as handed to the encoder."""
        return image

    def after(
        self, image: Image.Image, previous: Image.Image, rng: np.random.Generator, generation: int
    ):
        """The decoded image, as kept for the next generation.

        ``previous`` is the image this perturbation's :meth:`before` received (to restore a
        size or a border from)."""
        return image

    @property
    def changes_image(self) -> bool:
        """Whether ``before``/``after`` may change pixels (False for quality-only)."""
        cls = type(self)
        return cls.before is not Perturbation.before or cls.after is not Perturbation.after

    def __repr__(self) -> str:
        return f"<{self.name}>"


@dataclass(frozen=True, repr=False)
class QualityJitter(Perturbation):
    """Draw the quality uniformly from ``low..high`` (inclusive) each generation."""

    low: int
    high: int

    def __post_init__(self) -> None:
        _finite("jitter low", self.low, 1, 100, whole=True)
        _finite("jitter high", self.high, 1, 100, whole=True)
        if self.low > self.high:
            raise PerturbationError(f"jitter range is empty: {self.low} > {self.high}")

    @property
    def name(self) -> str:
        return f"quality jitter {self.low}-{self.high}"

    def quality(self, quality, rng, generation):
        return int(rng.integers(self.low, self.high + 1))


@dataclass(frozen=True, repr=False)
class AlternateQuality(Perturbation):
    """Cycle through fixed qualities: generation 1 uses the first, 2 the second, ..."""

    qualities: tuple[int, ...]

    def __post_init__(self) -> None:
        qualities = self.qualities
        if isinstance(qualities, str | bytes) or not isinstance(qualities, Sequence | np.ndarray):
            raise PerturbationError(
                f"alternate qualities must be a sequence such as (70, 90), got {self.qualities!r}"
            )
        if len(self.qualities) < 1:
            raise PerturbationError("alternate needs at least one quality")
        for q in self.qualities:
            _finite("alternate quality", q, 1, 100, whole=True)

    @property
    def name(self) -> str:
        return "alternate quality " + "/".join(map(str, self.qualities))

    def quality(self, quality, rng, generation):
        return int(self.qualities[(generation - 1) % len(self.qualities)])


@dataclass(frozen=True, repr=False)
class Shift(Perturbation):
    """Shift the picture by ``k`` more pixels each generation (right and down, wrapping,
    modulo 16) before saving, and back after loading.

    The picture stays in place; what moves is where JPEG's 8x8 blocks (16x16 with 4:2:0
    chroma) fall on it, as when an image is cropped by a few pixels before a re-save. A
    constant offset would not do: the same shift every time is just another fixed map,
    and the loop settles again.
    """

    k: int

    def __post_init__(self) -> None:
        _finite("shift", self.k, -4096, 4096, whole=True)

    @property
    def name(self) -> str:
        return f"shift by {self.k} px and back"

    def offset(self, generation: int) -> int:
        """The shift applied at ``generation``."""
        return (self.k * generation) % 16

    @staticmethod
    def _roll(image: Image.Image, k: int) -> Image.Image:
        if k == 0:
            return image
        arr = np.roll(np.asarray(image), (k, k), axis=(0, 1))
        return Image.fromarray(arr, image.mode)

    def before(self, image, rng, generation):
        return self._roll(image, self.offset(generation))

    def after(self, image, previous, rng, generation):
        return self._roll(image, -self.offset(generation))


@dataclass(frozen=True, repr=False)
class Resize(Perturbation):
    """Scale by ``factor`` before saving and back to full size after loading (bicubic)."""

    factor: float

    def __post_init__(self) -> None:
        _finite("resize factor", self.factor, 0.1, 4.0)

    @property
    def name(self) -> str:
        return f"resize x{self.factor:g} and back"

    def before(self, image, rng, generation):
        w, h = image.size
        size = (max(1, round(w * self.factor)), max(1, round(h * self.factor)))
        return image.resize(size, Image.Resampling.BICUBIC)

    def after(self, image, previous, rng, generation):
        return image.resize(previous.size, Image.Resampling.BICUBIC)


@dataclass(frozen=True, repr=False)
class Crop(Perturbation):
    """Crop ``k`` pixels off the top and left before saving; after loading, put the
    cropped-off border back from the image as it was, so the size stays the same."""

    k: int

    def __post_init__(self) -> None:
        _finite("crop", self.k, 1, 64, whole=True)

    @property
    def name(self) -> str:
        return f"crop {self.k} px and restore"

    def before(self, image, rng, generation):
        if self.k >= min(image.size):
            raise PerturbationError(
                f"crop of {self.k} px is too large for a {image.width}x{image.height} image"
            )
        return image.crop((self.k, self.k, image.width, image.height))

    def after(self, image, previous, rng, generation):
        whole = previous.copy()
        whole.paste(image, (self.k, self.k))
        return whole


@dataclass(frozen=True, repr=False)
class Rotate(Perturbation):
    """Rotate by ``degrees`` before saving and back after loading (bicubic, same size)."""

    degrees: float

    def __post_init__(self) -> None:
        _finite("rotation", self.degrees, -45, 45)

    @property
    def name(self) -> str:
        unit = "degree" if abs(self.degrees) == 1 else "degrees"
        return f"rotate {self.degrees:g} {unit} and back"

    def before(self, image, rng, generation):
        return image.rotate(self.degrees, Image.Resampling.BICUBIC, fillcolor=(128, 128, 128))

    def after(self, image, previous, rng, generation):
        return image.rotate(-self.degrees, Image.Resampling.BICUBIC, fillcolor=(128, 128, 128))


@dataclass(frozen=True, repr=False)
class Sharpen(Perturbation):
    """An unsharp-mask "touch-up" before every save (``percent`` strength, radius 1)."""

    percent: int = 80

    def __post_init__(self) -> None:
        _finite("sharpen percent", self.percent, 1, 500, whole=True)

    @property
    def name(self) -> str:
        return f"sharpen {self.percent}%"

    def before(self, image, rng, generation):
        return image.filter(ImageFilter.UnsharpMask(radius=1, percent=int(self.percent)))


class Chain(Perturbation):
    """Several perturbations applied together (see :func:`chain`)."""

    def __init__(self, parts: Sequence[Perturbation]) -> None:
        for p in parts:
            if not isinstance(p, Perturbation):
                hint = f"; for a text spec use perturb.parse({p!r})" if isinstance(p, str) else ""
                raise PerturbationError(
                    f"expected Perturbation objects, got {type(p).__name__} {p!r}{hint}"
                )
        self.parts = tuple(parts)

    @property
    def name(self) -> str:
        return " + ".join(p.name for p in self.parts) or "none"

    def quality(self, quality, rng, generation):
        for p in self.parts:
            quality = p.quality(quality, rng, generation)
        return quality

    def before(self, image, rng, generation):
        self._inputs = []
        for p in self.parts:
            self._inputs.append(image)
            image = p.before(image, rng, generation)
        return image

    def after(self, image, previous, rng, generation):
        for p, entered in zip(reversed(self.parts), reversed(self._inputs), strict=True):
            image = p.after(image, entered, rng, generation)
        return image

    @property
    def changes_image(self) -> bool:
        return any(p.changes_image for p in self.parts)


def chain(*parts: Perturbation) -> Perturbation:
    """Compose perturbations; ``chain()`` is the identity."""
    return Chain(parts)


_SPEC_HELP = (
    "jitter:LOW-HIGH, alternate:Q1/Q2[/...], shift:K, resize:FACTOR, crop:K, "
    "rotate:DEGREES, sharpen[:PERCENT]"
)


def parse(spec: str) -> Perturbation:
    """Build a perturbation from a short text spec (used by the command line).

    Specs: ``jitter:60-90``, ``alternate:70/90``, ``shift:4``, ``resize:0.9``, ``crop:3``,
    ``rotate:1.5``, ``sharpen`` or ``sharpen:120``.
    """
    kind, _, arg = str(spec).strip().partition(":")
    kind = kind.lower()
    try:
        if kind == "jitter":
            low, high = arg.split("-")
            return QualityJitter(int(low), int(high))
        if kind == "alternate":
            return AlternateQuality(tuple(int(q) for q in arg.split("/")))
        if kind == "shift":
            return Shift(int(arg))
        if kind == "resize":
            return Resize(float(arg))
        if kind == "crop":
            return Crop(int(arg))
        if kind == "rotate":
            return Rotate(float(arg))
        if kind == "sharpen":
            return Sharpen(int(arg)) if arg else Sharpen()
    except PerturbationError:
        raise
    except ValueError:
        raise PerturbationError(f"cannot read perturbation {spec!r}; use {_SPEC_HELP}") from None
    raise PerturbationError(f"unknown perturbation {spec!r}; use {_SPEC_HELP}")

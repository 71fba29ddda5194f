"""Static word embeddings for texts, on the machine: the 256-dimension WordLlama weights that ship
inside the `wordllama` wheel. Nothing is downloaded, ever (`disable_download=True`); loading
takes about half a second, once per process, at first use; embedding one entry ~0.1 ms.

They find related wording that shares no word ("no hands up" / "cold calling") where the word
features can't, which is what the similarity search needs most.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
DIMENSIONS = 256

_lock = threading.Lock()


class _Model(Protocol):
    def embed(self, texts: list[str], norm: bool = ...) -> Any: ...


@functools.cache
def _model() -> _Model:
    # Imported here: it brings tokenizers and pydantic, which `import bot` must not pay for.
    import wordllama

    with _lock:
        model: _Model = wordllama.WordLlama.load(
            cache_dir=Path(wordllama.__file__).parent, dim=DIMENSIONS, disable_download=True
        )
    return model


def embed(texts: Sequence[str]) -> Vectors:
    """Unit-length embeddings, one row per text (zero rows for an empty list)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(_model().embed(list(texts), norm=True), dtype=np.float32)
    return np.nan_to_num(vectors)  # a text of no known token would be 0/0

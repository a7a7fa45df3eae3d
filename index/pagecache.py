"""Page-cache advice for memory-mapped index arrays.

Posting lists and vectors are read at scattered offsets (a binary search, a candidate's
row). By default every page fault on a file mapping also reads ahead up to 128 KB around
it, which at 1M chunks fills the cache with neighbours no query asked for: measured with
`scripts/bench_scale.py --serve --memory-limit 4000`, the 1M index thrashed (hybrid p95
1.35 s) under a 4 GB memory limit with readahead and ran at p95 108 ms without it.

>>> import numpy as np, tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "a.npy"
>>> np.save(p, np.arange(4))
>>> read_at_random(np.load(p, mmap_mode="r")).tolist()
[0, 1, 2, 3]
"""

from __future__ import annotations

import mmap

import numpy as np


def read_at_random(arr: np.ndarray) -> np.ndarray:
    """Advise the kernel that `arr`'s mapping is read at random (no readahead); return it.

    Arrays that are not memory-mapped, and systems without madvise, pass through."""
    m = getattr(arr, "_mmap", None)
    if isinstance(m, mmap.mmap) and hasattr(mmap, "MADV_RANDOM"):
        m.madvise(mmap.MADV_RANDOM)
    return arr

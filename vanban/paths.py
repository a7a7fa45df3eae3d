"""Where vanban keeps its data and caches; one environment variable each."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = PROJECT_ROOT / "samples"


def data_dir() -> Path:
    """Indexes, uploads and feedback logs: `$VANBAN_HOME` or ~/.local/share/vanban."""
    env = os.environ.get("VANBAN_HOME")
    if env:
        return Path(env)
    from platformdirs import user_data_dir

    return Path(user_data_dir("vanban", appauthor=False))


def cache_dir() -> Path:
    """Converted models and other rebuildable files: `$VANBAN_CACHE` or ~/.cache/vanban."""
    env = os.environ.get("VANBAN_CACHE")
    if env:
        return Path(env)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("vanban", appauthor=False))


def shared_dir() -> Path | None:
    """The ../shared data folder beside the checkout, when present (tests and benchmarks)."""
    env = os.environ.get("VANBAN_SHARED")
    path = Path(env) if env else PROJECT_ROOT.parent / "shared"
    return path if path.is_dir() else None

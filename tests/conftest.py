"""Shared fixtures: the bundled sample corpus indexed once per test session with the real encoder.

The index lives where `vanban eval --dataset sample` looks for it
($VANBAN_HOME/eval/…), so the CI gate that runs after the tests reuses it.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def sample_index() -> Path:
    from eval.datasets import load_dataset
    from eval.runner import ensure_index

    return ensure_index(load_dataset("sample"), progress=False)


@pytest.fixture(scope="session")
def searcher(sample_index):
    from search.searcher import Searcher

    return Searcher.load(sample_index)

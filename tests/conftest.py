from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEED = SHARED / "fixtures" / "kratom-article.txt"
NIH = SHARED / "corpus" / "nih"


@pytest.fixture(scope="session")
def ruleset():
    from healthlint.ruleset import load_rules

    return load_rules()


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip("../shared/fixtures/kratom-article.txt is not present")
    return SEED

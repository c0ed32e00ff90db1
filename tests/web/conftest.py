"""The API tests' password hashing: argon2 at full cost would make each login take a second."""

from __future__ import annotations

import pytest
from accounts_helpers import cheap_hashing


@pytest.fixture(autouse=True)
def cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    cheap_hashing(monkeypatch)

"""Schemathesis over every operation of the in-process app: no 5xx, responses match the schema.

Runs on a SQLite store with a few demo items, as a brand admin with a real token (a fresh one
per call, since some operations revoke tokens). Bounded: a few examples per operation, no
network (the app is called in-process through its ASGI interface).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from accounts_helpers import cheap_hashing, member_token
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import Engine

from socialcem.demo.load import load_demo
from socialcem.store import open_store
from socialcem.web.app import create_app
from socialcem.web.settings import Settings

EXAMPLES = 15


@pytest.fixture(scope="module")
def api(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[schemathesis.BaseSchema, Engine]]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'api.db'}"
    engine = open_store(url)
    load_demo(engine, "demo", items=200, workers=0)
    app = create_app(Settings(db=url, rate_limit_per_minute=1_000_000))
    with pytest.MonkeyPatch.context() as patch:
        cheap_hashing(patch)  # logins are fuzzed too: full-cost argon2 would take minutes
        yield schemathesis.openapi.from_asgi("/openapi.json", app), engine
    app.state.engine.dispose()
    engine.dispose()


def failures_of(operation: APIOperation, mode: GenerationMode, engine: Engine) -> str | None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case: schemathesis.Case) -> None:
        token = member_token(engine, "demo", "fuzz-admin", "admin")
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )

    try:
        check()
    except Unsatisfiable:  # no parameters to make invalid (negative mode)
        return None
    except Exception as exc:  # a check failed: report it with the others
        return f"{operation.label}: {exc}"
    return None


@pytest.mark.slow
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_server_error_and_responses_match_the_schema(
    api: tuple[schemathesis.BaseSchema, Engine], mode: GenerationMode
) -> None:
    """Valid input (positive) and invalid input (negative) alike: never a 5xx."""
    schema, engine = api
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 3  # at least the probes and the auth routes
    failures = [f for op in operations if (f := failures_of(op, mode, engine)) is not None]
    assert not failures, "\n\n".join(failures)

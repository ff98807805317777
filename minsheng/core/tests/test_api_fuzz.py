"""The OpenAPI schema fuzzed against the live application: no input answers 500, every answer matches the schema.

schemathesis generates requests from the schema drf-spectacular produces and sends them through the WSGI
application (the whole middleware stack, the real database), signed in as the 街道 admin. A fixed seed and a
bounded number of examples per operation keep it repeatable and short; it runs in the SQLite pass only (the
`fuzz` marker: the PostgreSQL pass leaves it out).
"""

import os

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
)

from minsheng.testing.sample import sample_rows  # noqa: E402

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

#: Examples per operation (CI's bound; raise it locally for a deeper search).
EXAMPLES = int(os.environ.get("MINSHENG_FUZZ_EXAMPLES", "8"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def test_no_server_error_and_answers_match_the_schema(world):
    from rest_framework.authtoken.models import Token

    from minsheng.wsgi import application

    sample_rows(world)
    token, _created = Token.objects.get_or_create(user=world.admin)
    headers = {"Authorization": f"Token {token.key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @seed(20261205)
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        # Data that fits the schema, and data that does not (a word where an id goes, a wrong type in the body).
        @given(
            case=operation.as_strategy(GenerationMode.POSITIVE)
            | operation.as_strategy(GenerationMode.NEGATIVE)
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # each operation's first failure, all reported at once
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1200]}")
    assert not failures, f"{len(failures)} operation(s) failed:\n\n" + "\n\n".join(failures)

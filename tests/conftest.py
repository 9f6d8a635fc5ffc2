"""Hypothesis profiles for the fuzz tests (tests/*/test_fuzz_*.py).

``ci`` (the default) keeps the whole fuzz suite to a couple of minutes on two cores;
``HYPOTHESIS_PROFILE=long`` runs twenty times as many examples. Each fuzz test writes its
counts (cases, exit statuses, tracebacks) to tests/artifacts/fuzz-*.json.
"""

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(
    deadline=None,  # a build or a page run takes a varying fraction of a second
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture],
    print_blob=True,
)
settings.register_profile("ci", max_examples=50, **_COMMON)
settings.register_profile("long", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

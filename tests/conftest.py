"""Shared test configuration: hypothesis profiles.

``HYPOTHESIS_PROFILE=ci`` (what ``.ci/run`` sets) runs derandomised examples with no
deadline, so CI is reproducible on a loaded machine; the default profile is for local runs.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator

import pytest
from hypothesis import HealthCheck, settings

# Sphinx's test fixtures (make_app, app, ...) for the docs tests; test roots are in roots/.
pytest_plugins = ("sphinx.testing.fixtures",)

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The gistpath pytest plugin collects the examples of *.gprules files. The rule files under
# tests/ (fixtures/) are broken on purpose, for the tests that expect them to fail: they
# are not test files of their own. The bundled rules and docs/examples can be run with
# `python -m pytest src/gistpath/rules docs/examples` (see tests/test_pytest_plugin.py).
collect_ignore_glob = ["*.gprules"]


# Fixtures that build a Sphinx project: every test that uses one is slow, wherever it is.
SPHINX_BUILDS = frozenset({"gist_build", "make_app", "app"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need a Sphinx build ``slow``: out of the quick loop."""
    for item in items:
        if SPHINX_BUILDS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module", params=["compiled", "numpy"])
def batch_path(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run a module's batch tests twice: through the C loops and through numpy alone."""
    from gistpath.batch import kernel

    with pytest.MonkeyPatch.context() as patch:
        if request.param == "numpy":
            patch.setattr(kernel, "USE_COMPILED", False)
        yield request.param


# In CI (CI=true, as .ci/run runs), nothing may be skipped: a test that would skip for want
# of pyspark, Java, Chromium, the compiled kernel or a benchmark peer fails instead, so a
# missing install step cannot pass as a green run. Expected failures (xfail) are unaffected.
@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {reason}"
    return report

"""The suite's own conftest: in CI (CI=true) a skipped test fails, so nothing is skipped there."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

CONFTEST = Path(__file__).resolve().parent / "conftest.py"

TESTS = """
import pytest

def test_runs():
    pass

def test_needs_a_missing_module():
    pytest.importorskip("no_such_module_for_gistpath")

@pytest.mark.xfail(reason="known")
def test_known_failure():
    raise AssertionError
"""


@pytest.mark.slow
@pytest.mark.parametrize("ci", ["true", ""])
def test_a_skip_fails_in_ci_only(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    pytester.makeconftest(CONFTEST.read_text(encoding="utf-8"))
    pytester.makepyfile(test_example=TESTS)
    monkeypatch.setenv("CI", ci)
    result = pytester.runpytest_subprocess("-p", "no:randomly", "-p", "no:gistpath")
    if ci:
        result.assert_outcomes(passed=1, failed=1, xfailed=1)
        result.stdout.fnmatch_lines(["*skipped in CI, where every test must run*"])
    else:
        result.assert_outcomes(passed=1, skipped=1, xfailed=1)

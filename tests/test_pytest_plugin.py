"""The pytest plugin as a user meets it: rule files in a project, run through pytest."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import gistpath

from samples import FIXTURES, ROOT, WALK_FILE

pytest_plugins = ["pytester"]

GIST_FILE = ROOT / "src" / "gistpath" / "rules" / "gist.gprules"

SMALL = textwrap.dedent(
    """\
    ruleset small "A small rule set"

    source guide "An invented guide"

    input size_cm "Largest diameter": number > 0 and <= 100 cm
    input fit "Fit for surgery": boolean

    pathway watch "Watch"
        summary "Watch and wait."
        cites guide

    pathway operate "Operate"
        summary "Remove it."
        cites guide

    consideration scan "Scan again"
        summary "A scan in six months."
        cites guide
        when pathway is watch and size_cm >= 1

    rule small -> watch: size_cm < 5 or not fit
    rule large -> operate: size_cm >= 5 and fit

    example tiny -> watch
        size_cm = 0.5
        fit = yes

    example big -> operate
        size_cm = 7
        fit = yes
    """
)


def write(pytester: pytest.Pytester, name: str, text: str) -> Path:
    path = pytester.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_passing_file_gives_a_check_item_and_one_item_per_example(
    pytester: pytest.Pytester,
) -> None:
    write(pytester, "small.gprules", SMALL)
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [
            "small.gprules::check PASSED*",
            "small.gprules::tiny PASSED*",
            "small.gprules::big PASSED*",
        ]
    )


def test_the_bundled_rules_and_the_walk_example_pass(pytester: pytest.Pytester) -> None:
    (pytester.path / "gist.gprules").write_bytes(GIST_FILE.read_bytes())
    (pytester.path / "walk.gprules").write_bytes(WALK_FILE.read_bytes())
    examples = len(gistpath.load_builtin("gist").model.examples) + len(
        gistpath.load(WALK_FILE).model.examples
    )
    assert examples > 10
    result = pytester.runpytest()
    result.assert_outcomes(passed=2 + examples)


def test_a_failing_example_shows_file_line_expected_got_and_the_rule(
    pytester: pytest.Pytester,
) -> None:
    text = SMALL.replace("example big -> operate", "example big -> watch with scan")
    path = write(pytester, "small.gprules", text)
    line = text.splitlines().index("example big -> watch with scan") + 1
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            f"*example big (small.gprules:{line})*",
            f"small.gprules:{line}: example 'big' does not get the decision it expects",
            "    pathway: expected 'watch', got 'operate'",
            "    considerations: expected scan, got none",
            "    rule that fired: 'large' (line 22) -> operate",
            "    state: {size_cm = 7, fit = yes}",
            f"FAILED small.gprules::big - small.gprules:{line}: example 'big'*",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert "pytest_plugin.py" not in result.stdout.str()
    assert path.exists()


def test_a_wrong_derived_value_in_an_example_is_shown(pytester: pytest.Pytester) -> None:
    text = SMALL.replace("rule small -> watch", "let tiny_one: size_cm < 1\n\nrule small -> watch")
    text += "\nexample tiny_flag -> watch\n    size_cm = 0.5\n    fit = no\n    tiny_one = no\n"
    write(pytester, "small.gprules", text)
    result = pytester.runpytest()
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["    tiny_one: expected no, got yes"])


def test_a_file_that_does_not_parse_is_one_failing_item_with_the_located_message(
    pytester: pytest.Pytester,
) -> None:
    (pytester.path / "broken.gprules").write_bytes(
        (FIXTURES / "syntax_errors.gprules").read_bytes()
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*check (broken.gprules:8)*",
            "broken.gprules:8:34: expected one of ':'*",
            '    input size_cm "Largest diameter" number > 0 and <= 100 cm',
            "                                     ^",
            "FAILED broken.gprules::check - broken.gprules:8:34:*",
        ]
    )
    output = result.stdout.str()
    assert "Traceback" not in output
    assert "lark" not in output.lower()


def test_semantic_errors_and_bad_encoding_are_located(pytester: pytest.Pytester) -> None:
    (pytester.path / "types.gprules").write_bytes((FIXTURES / "type_error.gprules").read_bytes())
    (pytester.path / "latin.gprules").write_bytes(b'ruleset x "caf\xe9"\n')
    result = pytester.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "*latin.gprules:1:*not valid UTF-8*",
            "*types.gprules:18:36: 'site' is a choice and cannot be compared with a number*",
        ],
        consecutive=False,
    )
    assert "Traceback" not in result.stdout.str()


def test_a_file_that_fails_verification_fails_its_check_item(pytester: pytest.Pytester) -> None:
    gap = (FIXTURES / "gap.gprules").read_text(encoding="utf-8")
    # An example inside the gap cannot be decided: its own item says so.
    gap += "\nexample at_five -> surveillance\n    size_cm = 5\n"
    write(pytester, "gap.gprules", gap)
    result = pytester.runpytest()
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "gap.gprules:17: gap: no rule covers these valid states",
            "    where: size_cm = 5",
            "gap.gprules: the rules failed verification (1 finding)",
            "*gap.gprules:*: example 'at_five' cannot be decided: no rule matches*",
        ],
        consecutive=False,
    )
    assert "Traceback" not in result.stdout.str()


def test_an_example_named_check_does_not_clash(pytester: pytest.Pytester) -> None:
    write(pytester, "small.gprules", SMALL.replace("example tiny", "example check"))
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["small.gprules::<check> PASSED*", "small.gprules::check PASSED*"])


def test_switching_collection_off(pytester: pytest.Pytester) -> None:
    write(pytester, "small.gprules", SMALL)
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    pytester.runpytest().assert_outcomes(passed=4)
    pytester.runpytest("-p", "no:gistpath").assert_outcomes(passed=1)
    pytester.runpytest("-o", "gistpath_collect=false").assert_outcomes(passed=1)
    pytester.makeini("[pytest]\ngistpath_collect = false\n")
    pytester.runpytest().assert_outcomes(passed=1)


def test_restricting_collection_by_pattern(pytester: pytest.Pytester) -> None:
    write(pytester, "rules/small.gprules", SMALL)
    write(pytester, "fixtures/broken.gprules", "this is not a rule file\n")
    write(pytester, "other.rules", SMALL)
    pytester.runpytest().assert_outcomes(passed=3, failed=1)
    pytester.makeini("[pytest]\ngistpath_rules = rules/*.gprules\n")
    pytester.runpytest().assert_outcomes(passed=3)
    pytester.makeini("[pytest]\ngistpath_rules =\n    *.rules\n    rules/*.gprules\n")
    pytester.runpytest().assert_outcomes(passed=6)
    pytester.makeconftest('collect_ignore_glob = ["fixtures/*"]')
    pytester.makeini("[pytest]\n")
    pytester.runpytest().assert_outcomes(passed=3)


def test_other_files_are_left_alone(pytester: pytest.Pytester) -> None:
    write(pytester, "notes.txt", "example broken -> nowhere\n")
    write(pytester, "small.gprules.bak", "not rules\n")
    pytester.makepyfile(test_plain="def test_plain():\n    pass\n")
    pytester.runpytest().assert_outcomes(passed=1)


@pytest.mark.slow
def test_this_repository_does_not_collect_its_broken_fixtures() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "tests/fixtures"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 5, done.stdout + done.stderr  # 5: no tests collected
    assert "gprules" not in done.stdout


@pytest.mark.slow
def test_the_plugin_imports_nothing_heavy_into_other_projects(tmp_path: Path) -> None:
    """An auto-loaded plugin runs in every pytest run: it must not load gistpath's pipeline."""
    (tmp_path / "test_light.py").write_text(
        textwrap.dedent(
            """\
            import sys

            def test_light(pytestconfig):
                assert pytestconfig.pluginmanager.has_plugin("gistpath")
                heavy = [m for m in ("lark", "numpy", "gistpath.ruleset", "gistpath.parser")
                         if m in sys.modules]
                assert heavy == []
            """
        )
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_DISABLE_PLUGIN_AUTOLOAD"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "-p", "no:hypothesispytest"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout


@pytest.mark.slow
def test_the_failure_shown_in_testing_rst_is_what_pytest_prints(pytester: pytest.Pytester) -> None:
    """docs/testing.rst shows a failing 'storm' example: its lines and line numbers are the
    ones pytest prints for the walk file changed as the page says."""
    page = (ROOT / "docs" / "testing.rst").read_text(encoding="utf-8")
    block = page[page.index("   $ pytest -v rules/") :].split("\n\n", 1)[0]
    shown = [line[3:] for line in block.splitlines()[1:] if line.strip() != "..."]
    text = WALK_FILE.read_text(encoding="utf-8")
    changed = text.replace(
        "example storm like sunny_stroll -> stay_home",
        "example storm like sunny_stroll -> walk_light",
    )
    assert changed != text
    write(pytester, "rules/walk.gprules", changed)
    result = pytester.runpytest_subprocess("-v", "-p", "no:randomly", "rules/")
    result.assert_outcomes(passed=len(gistpath.load(WALK_FILE).model.examples), failed=1)
    patterns = ["*" + ln.strip("_ ") + "*" if ln.startswith("___") else ln + "*" for ln in shown]
    result.stdout.fnmatch_lines(patterns, consecutive=False)

"""The command line as a user runs it: through a subprocess, reading its output and status."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from samples import gist_state

ROOT = Path(__file__).resolve().parents[1]
WALK = ROOT / "docs" / "examples" / "walk.gprules"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

GIST_STATE = gist_state()


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gistpath", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help() -> None:
    done = run("--help")
    assert done.returncode == 0
    for command in ("check", "eval", "explain"):
        assert command in done.stdout
        assert run(command, "--help").returncode == 0


def test_check_good_and_bad_files() -> None:
    done = run("check", str(WALK), "gist")
    assert done.returncode == 0, done.stderr
    assert "walk.gprules: ok" in done.stdout
    assert "gist: ok" in done.stdout
    bad = run("check", str(WALK), str(FIXTURES / "gap.gprules"))
    assert bad.returncode == 1
    assert "gap.gprules:" in bad.stderr
    assert "gap" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_explain_the_readme_state() -> None:
    done = run("explain", "gist", "--state", json.dumps(GIST_STATE))
    assert done.returncode == 0, done.stderr
    assert "resection_alone" in done.stdout
    assert "laparoscopic_option" in done.stdout
    assert "American Cancer Society" in done.stdout
    assert "#pathway-resection-alone" in done.stdout


def test_explain_an_invalid_state() -> None:
    done = run("explain", "gist", "--state", json.dumps({**GIST_STATE, "site": "Stomach"}))
    assert done.returncode == 1
    assert "site" in done.stderr
    assert "'Stomach'" in done.stderr
    assert "Traceback" not in done.stderr


def test_eval_jsonl_reports_bad_records_by_line_and_goes_on() -> None:
    good = dict(GIST_STATE)
    lines = [
        json.dumps(good),
        json.dumps({**good, "size_cm": -1}),
        "{not json",
        "",
        json.dumps({**good, "size_cm": 12.0, "mitotic_rate": 9}),
    ]
    done = run("eval", "gist", stdin="\n".join(lines) + "\n")
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert [o["line"] for o in out] == [1, 5]
    assert out[0]["pathway"] == "resection_alone"
    assert out[1]["pathway"] == "resection_adjuvant_imatinib_3y"
    assert out[1]["values"]["risk"] == "high"
    assert "<stdin>:2: size_cm" in done.stderr
    assert "<stdin>:3: not valid JSON" in done.stderr
    assert "2 bad records" in done.stderr


def test_eval_csv_reads_values_by_their_declared_type(tmp_path: Path) -> None:
    path = tmp_path / "states.csv"
    header = list(GIST_STATE)
    row = [str(v).lower() if isinstance(v, bool) else str(v) for v in GIST_STATE.values()]
    bad = list(row)
    bad[header.index("mitotic_rate")] = "3.5"
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n" + ",".join(bad) + "\n")
    done = run("eval", "gist", "--input", str(path))
    assert done.returncode == 1
    out = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(out) == 1
    assert out[0]["pathway"] == "resection_alone"
    assert f"{path}:3: mitotic_rate" in done.stderr


def test_eval_all_good_exits_zero() -> None:
    done = run("eval", "gist", stdin=json.dumps(GIST_STATE) + "\n")
    assert done.returncode == 0
    assert done.stderr == ""


def test_unreadable_input_is_exit_two(tmp_path: Path) -> None:
    done = run("eval", "gist", "--input", str(tmp_path / "missing.jsonl"))
    assert done.returncode == 2
    assert "cannot read" in done.stderr


def test_docs_to_a_folder_that_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "gistpath", "docs", "gist", "-o", str(blocker / "site")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "cannot write to" in done.stderr
    assert "Traceback" not in done.stderr

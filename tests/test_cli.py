"""The command line as a user runs it: through a subprocess, reading its output and status."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import gistpath
from gistpath import cli

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


@pytest.mark.slow
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
    assert "Resection, no further treatment" in done.stdout
    assert "Keyhole (laparoscopic) surgery" in done.stdout
    assert "American Cancer Society" in done.stdout
    assert "not medical advice" in done.stdout


@pytest.mark.slow
def test_explain_as_json_with_a_link_to_the_docs() -> None:
    done = run(
        "explain",
        "gist",
        "--state",
        json.dumps(GIST_STATE),
        "--format",
        "json",
        "--docs-url",
        "https://example.org/gist.html",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["pathway"] == "resection_alone"
    assert data["link"] == "https://example.org/gist.html#pathway-resection-alone"
    assert [c["id"] for c in data["considerations"]] == ["laparoscopic_option"]
    assert {v["name"] for v in data["values"]} >= {"risk", "afip_risk"}


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
    assert [o["record"] for o in out] == [1, 4]
    assert out[0]["pathway"] == "resection_alone"
    assert out[1]["pathway"] == "resection_adjuvant_imatinib_3y"
    assert out[1]["values"]["risk"] == "high"
    assert "<stdin>:2: record 2: size_cm" in done.stderr
    assert "<stdin>:3: record 3: not valid JSON" in done.stderr
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
    assert f"{path}:3: record 2: column 'mitotic_rate': cell '3.5' is not a whole" in done.stderr


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


# --------------------------------------------------------------------------- in process


def main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


WALK_HEADER = "sky,temperature_c,wind_kmh,rain_chance,distance_km,has_car,child_along"


@pytest.mark.parametrize(
    ("has_car", "child_along"),
    [("False", "TRUE"), ("false", "true"), ("FALSE", "True"), ("no", "YES"), ("No", "yes")],
)
def test_csv_booleans_as_spreadsheets_and_dataframes_write_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, has_car: str, child_along: str
) -> None:
    path = tmp_path / "s.csv"
    path.write_text(f"{WALK_HEADER}\nclear,12,5,10,3,{has_car},{child_along}\n")
    status, out, err = main(capsys, "eval", str(WALK), "-i", str(path))
    assert (status, err) == (0, "")
    assert json.loads(out)["pathway"] == "walk_light"


def test_pandas_writes_csv_that_eval_reads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pd = pytest.importorskip("pandas")
    from samples import walk_state

    path = tmp_path / "s.csv"
    pd.DataFrame([{"patient_id": "P-1", **walk_state()}]).to_csv(path, index=False)
    status, out, err = main(capsys, "eval", str(WALK), "-i", str(path), "--id", "patient_id")
    assert (status, err) == (0, ""), err
    assert json.loads(out)["patient_id"] == "P-1"


def test_csv_problems_are_worded_from_what_was_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    rows = [
        "clear,12,5,88.0,3,maybe,false",  # a float for an integer, a bad boolean
        "clear,,5,10,3,false",  # an empty cell and a short row
        "clear,12,5,10,3,false,false,extra",  # a long row
    ]
    path.write_text(WALK_HEADER + "\n" + "\n".join(rows) + "\n")
    status, out, err = main(capsys, "eval", str(WALK), "-i", str(path))
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"{path}:2: record 1: column 'rain_chance': cell '88.0' is not a whole number as "
        "written; expected an integer >= 0 and <= 100 (percent), or 'unknown'",
        f"{path}:2: record 1: column 'has_car': cell 'maybe' is not a boolean; expected a "
        "boolean: true/false or yes/no, in any case (TRUE, False, yes, ...)",
        f"{path}:3: record 2: column 'temperature_c': the cell is empty; expected a finite "
        "number >= -60 and <= 60 (celsius)",
        f"{path}:3: record 2: column 'child_along': no cell (the row has 6 cells); expected a "
        "cell for each of the header's 7 columns",
        f"{path}:4: record 3: the row has 8 cells and the header 7 columns: extra cell 'extra'",
        "gistpath: 3 bad records reported above; 0 decided",
    ]
    assert "None" not in err
    assert "text, not a number" not in err


def test_json_boolean_in_quotes_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    from samples import walk_state

    state = {**walk_state(), "has_car": "False"}
    status, _, err = main(capsys, "explain", str(WALK), "--state", json.dumps(state))
    assert status == 1
    assert "has_car: a text, not a boolean (in JSON write true or false without quotes)" in err


def test_record_ids_are_carried_through(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from samples import walk_state

    good = walk_state()
    lines = [
        json.dumps({"patient_id": "A", "site_no": 7, **good}),
        json.dumps({"patient_id": "B", "site_no": 8, **good, "sky": "fog"}),
        json.dumps(good),
    ]
    status, out, err = main(
        capsys, "eval", str(WALK), "--id", "patient_id", "--id", "site_no",
        "--format", "jsonl", "-i", str(_write(tmp_path / "s", lines)),
    )  # fmt: skip
    assert status == 1
    decided = [json.loads(line) for line in out.splitlines()]
    assert [(d["record"], d["patient_id"], d["site_no"]) for d in decided] == [(1, "A", 7)]
    assert list(decided[0])[:4] == ["record", "patient_id", "site_no", "pathway"]
    assert ":2: record 2 (patient_id 'B', site_no 8): sky: not an allowed value" in err
    assert ":3: record 3: patient_id: missing field" in err
    assert ":3: record 3: site_no: missing field" in err
    assert "2 bad records" in err


def test_records_are_numbered_the_same_in_every_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from samples import walk_state

    good = walk_state()
    bad = {**good, "sky": "fog"}
    json_path = _write(tmp_path / "s.json", [json.dumps([good, bad, good], indent=2)])
    jsonl_path = _write(tmp_path / "s.jsonl", [json.dumps(s) for s in (good, bad, good)])
    csv_lines = [",".join(good)] + [
        ",".join(str(v).lower() if isinstance(v, bool) else str(v) for v in s.values())
        for s in (good, bad, good)
    ]
    csv_path = _write(tmp_path / "s.csv", csv_lines)
    for path in (json_path, jsonl_path, csv_path):
        status, out, err = main(capsys, "eval", str(WALK), "-i", str(path))
        assert status == 1
        assert [json.loads(line)["record"] for line in out.splitlines()] == [1, 3]
        assert "record 2" in err
        assert "record 2: sky: not an allowed value" in err


def test_an_unknown_column_hints_at_id(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from samples import walk_state

    path = _write(tmp_path / "s.jsonl", [json.dumps({"patient_id": 1, **walk_state()})])
    status, _, err = main(capsys, "eval", str(WALK), "-i", str(path))
    assert status == 1
    assert "(an id of the record? name it with --id patient_id)" in err


def test_id_that_is_an_input_or_not_a_column_is_usage_trouble(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _write(tmp_path / "s.csv", [WALK_HEADER, "clear,12,5,10,3,false,false"])
    assert main(capsys, "eval", str(WALK), "-i", str(path), "--id", "sky")[0] == 2
    status, _, err = main(capsys, "eval", str(WALK), "-i", str(path), "--id", "patient_id")
    assert status == 2
    assert "--id patient_id: no such column in the CSV header" in err
    assert main(capsys, "eval", str(WALK), "-i", str(path), "--id", "pathway")[0] == 2


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"gistpath {gistpath.__version__}\n"


@pytest.mark.parametrize("command", ["check", "eval", "explain", "docs", "diff"])
def test_every_command_help_describes_it_and_its_exit_statuses(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    description = text.split("\n\n")[1]
    assert len(description.split()) >= 8, description
    status = text[text.index("exit status:") :]
    for code in ("0", "1", "2"):
        assert f"\n  {code}  " in status


def test_a_missing_rule_file_is_exit_two_a_wrong_one_exit_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = str(tmp_path / "nope.gprules")
    for args in (
        ["check", missing],
        ["eval", missing],
        ["explain", missing, "--state", "{}"],
        ["check", "no_such_bundled_set"],
    ):
        status, _, err = main(capsys, *args)
        assert status == 2, args
        assert "cannot read rule file" in err or "no bundled rule set" in err
    status, _, _ = main(capsys, "check", str(FIXTURES / "gap.gprules"), missing)
    assert status == 2  # the worse of the two
    assert main(capsys, "check", str(FIXTURES / "gap.gprules"))[0] == 1


def test_counts_are_worded_for_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = tmp_path / "one.gprules"
    rules.write_text(
        'ruleset one "One"\n'
        'source s "S"\n'
        'input x "X": boolean\n'
        'pathway p "P"\n    summary "p"\n    cites s\n'
        "rule r -> p:\n    x or not x\n"
        "example e -> p\n    x = yes\n",
        encoding="utf-8",
    )
    status, out, err = main(capsys, "check", str(rules))
    assert status == 0, err
    assert ": ok: 1 input, 1 rule, 1 pathway, 1 example passes; verified over " in out
    bad = _write(tmp_path / "s.jsonl", [json.dumps({"x": "maybe"}), json.dumps({"x": True})])
    status, _, err = main(capsys, "eval", str(rules), "-i", str(bad))
    assert status == 1
    assert "gistpath: 1 bad record reported above; 1 decided" in err


def test_diff_draft_prints_no_python_warning(capsys: pytest.CaptureFixture[str]) -> None:
    gap = str(FIXTURES / "gap.gprules")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        status, out, err = main(capsys, "diff", "--draft", gap, gap)
    assert status == 0
    assert "every valid state keeps its pathway" in out
    assert "Warning" not in err
    assert "site-packages" not in err
    assert ".py:" not in err


def test_a_bundled_earlier_version_is_named_with_an_at(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = main(capsys, "diff", "gist@1.0", "gist")
    assert status == 1, err  # states change pathway from 1.0 to 1.1
    assert (
        out
        == gistpath.diff.diff_rulesets(
            gistpath.load_builtin("gist", version="1.0"),
            gistpath.load_builtin("gist"),
            old_label="gist@1.0",
            new_label="gist",
        ).format()
        + "\n"
    )
    status, out, _ = main(capsys, "check", "gist@1.0")
    assert status == 0
    assert out.startswith("gist@1.0: ok: ")
    status, _, err = main(capsys, "check", "gist@0.9")
    assert status == 2
    assert "has no version '0.9'; there are: 1.0, 1.1" in err


# --------------------------------------------------------------------------- DMN

TCK = Path(__file__).parent / "fixtures" / "dmn-tck"


@pytest.mark.slow
def test_from_dmn_prints_the_rule_file_and_its_findings(tmp_path: Path) -> None:
    model = next((TCK / "0111-first-hitpolicy-singleoutputcol").glob("*.dmn"))
    out = tmp_path / "ads.gprules"
    result = run("from-dmn", str(model), "-o", str(out))
    assert result.returncode == 1  # a gap: ages <= 0 get no advertisement
    assert "table gap: no row of table 'advertisement'" in result.stderr
    assert "where: age <= 0" in result.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rs = gistpath.load(out, draft=True)
    assert rs.model.tables["advertisement"].hit == "first"
    clean = run("from-dmn", str(next((TCK / "0004-simpletable-U").glob("*.dmn"))))
    assert clean.returncode == 0, clean.stderr
    assert "hit unique" in clean.stdout
    assert clean.stdout.startswith("# Imported from the DMN 1.5 model '0004-simpletable-U'")


def test_from_dmn_refuses_with_the_element_and_line() -> None:
    model = next((TCK / "0003-input-data-string-allowed-values").glob("*.dmn"))
    result = run("from-dmn", str(model))
    assert result.returncode == 1
    assert result.stdout == ""
    assert ".dmn:14: element 'd_EmploymentStatusStatement':" in result.stderr
    assert "literalExpression" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_to_dmn_and_back(tmp_path: Path) -> None:
    rules = tmp_path / "bands.gprules"
    rules.write_text(
        'ruleset bands "Bands"\n    summary "S."\nsource guide "G"\n'
        "input size: number >= 0\n"
        'table band "Band"\n    values small, large\n    hit first\n'
        "    | size | band |\n    | <= 5 | small |\n    | - | large |\n"
        'pathway done "Done"\n    summary "x."\n    cites guide\nrule done -> done: otherwise\n',
        encoding="utf-8",
    )
    out = tmp_path / "bands.dmn"
    result = run("to-dmn", str(rules), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert 'hitPolicy="FIRST"' in out.read_text(encoding="utf-8")
    back = run("from-dmn", str(out))
    assert back.returncode == 0, back.stderr
    assert "| <= 5 | small |" in back.stdout.replace("  ", " ").replace("  ", " ")


@pytest.mark.slow
def test_to_dmn_writes_gist_whole_and_dmn_models_again(tmp_path: Path) -> None:
    result = run("to-dmn", "gist")
    assert result.returncode == 0, result.stderr
    assert 'gistpath:role="pathway"' in result.stdout
    assert 'name="afip_risk"' in result.stdout
    tck = Path(__file__).parent / "fixtures" / "dmn-tck" / "0115-sum-collect-hitpolicy"
    (model,) = tck.glob("*.dmn")
    again = run("to-dmn", str(model))
    assert again.returncode == 0, again.stderr
    assert 'hitPolicy="COLLECT" aggregation="SUM"' in again.stdout


@pytest.mark.slow
def test_to_dmn_refuses_what_s_feel_cannot_write(tmp_path: Path) -> None:
    rules = tmp_path / "odd.gprules"
    rules.write_text(
        'ruleset odd "Odd"\n    summary "S."\nsource guide "G"\ninput size: number\n'
        'table band "Band"\n    values small, large\n    hit first\n'
        "    | size | band |\n    | != 1 and > 0 | small |\n    | - | large |\n"
        'pathway done "Done"\n    summary "x."\n    cites guide\nrule done -> done: otherwise\n',
        encoding="utf-8",
    )
    result = run("to-dmn", str(rules))
    assert result.returncode == 1
    assert "joins '!=' with other comparisons" in result.stderr


def test_lsp_without_the_extra_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "pygls", None)  # import pygls now raises ImportError
    assert cli.main(["lsp"]) == 2
    assert "pip install 'gistpath[lsp]'" in capsys.readouterr().err

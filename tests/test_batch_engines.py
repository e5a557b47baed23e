"""gistpath.batch.engines: pathway_series, decision_frame and Decider, the helpers for
engines that decide per pandas partition (Dask here; Spark where pyspark and Java are).

Each helper keeps a partition's index and its row count, bad rows included, and gives what
``evaluate`` gives row by row; a Decider pickles as its rule text.
"""

from __future__ import annotations

import pickle
import shutil
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest

import gistpath
from gistpath.batch import DECISION_COLUMNS, Decider, decision_frame, pathway_series

from samples import ROOT, WALK_FILE, gist_state

WALK = gistpath.load(WALK_FILE)
GIST = gistpath.load_builtin("gist")
RULESETS = {"walk": WALK, "gist": GIST}

# The kinds of bad value a column can hold (a frame has the same columns in every row).
VALUE_KINDS = ["wrong_type", "out_of_range", "not_a_choice", "nan_inf", "none", "constraint"]

pytestmark = pytest.mark.usefixtures("batch_path")  # C loops and numpy alone


def pandas_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as pandas itself gives them."""
    return frame.to_dict("records")  # type: ignore[no-any-return]


def gist_frame(count: int) -> pd.DataFrame:
    rows = []
    for i in range(count):
        rows.append(
            gist_state(
                size_cm=[1.5, 2.0, 4.0, 5.0, 5.5, 10.0, 12.0][i % 7],
                mitotic_rate=[0, 3, 5, 6, 12, "unknown"][i % 6],
                site=["stomach", "small_intestine", "rectum", "duodenum"][i % 4],
                tumor_rupture=i % 11 == 0,
            )
        )
    frame = pd.DataFrame(rows)
    frame.loc[17, "site"] = "Stomach"  # a bad row, kept and reported
    return frame


def test_pathway_series_and_decision_frame() -> None:
    frame = gist_frame(60)
    frame.index = frame.index + 100
    with pytest.raises(gistpath.BatchError):
        pathway_series(frame, GIST)
    series = pathway_series(frame, GIST, errors="collect")
    assert series.name == "pathway"
    assert series.dtype == object
    assert list(series.index) == list(frame.index)
    assert series.loc[117] is None
    decisions = decision_frame(frame, GIST)
    assert tuple(decisions.columns) == DECISION_COLUMNS
    assert list(decisions.index) == list(frame.index)
    assert "site" in decisions.loc[117, "error"]
    assert decisions.loc[117, "pathway"] is None
    for label, row in zip(frame.index, pandas_records(frame), strict=True):
        if label == 117:
            continue
        decision = GIST.evaluate(row)
        assert series.loc[label] == decision.pathway
        assert decisions.loc[label, "rule"] == decision.rule
        assert decisions.loc[label, "considerations"] == list(decision.considerations)
        assert decisions.loc[label, "error"] is None
    assert "considerations" not in decision_frame(frame, GIST, considerations=False).columns
    with pytest.raises(TypeError, match="pandas DataFrame"):
        pathway_series(pl.from_pandas(frame.drop(columns="mitotic_rate")), GIST)


def test_ids_travel_through_the_helpers_as_the_first_columns() -> None:
    frame = gist_frame(40)
    frame.insert(0, "patient_id", [f"P-{i}" for i in range(len(frame))])
    frame["ward"] = [i % 3 for i in range(len(frame))]
    decisions = decision_frame(frame, GIST, ids=("patient_id", "ward"))
    assert tuple(decisions.columns) == ("patient_id", "ward", *DECISION_COLUMNS)
    assert list(decisions["patient_id"]) == list(frame["patient_id"])
    assert list(decisions["ward"]) == list(frame["ward"])
    assert "site" in decisions.loc[17, "error"]  # a bad row keeps its id beside its error
    assert decisions.loc[17, "patient_id"] == "P-17"
    inputs_only = decision_frame(frame.drop(columns=["patient_id", "ward"]), GIST)
    for column in DECISION_COLUMNS:
        assert [str(v) for v in decisions[column]] == [str(v) for v in inputs_only[column]]
    series = pathway_series(frame, GIST, errors="collect", ids=("patient_id", "ward"))
    assert [str(v) for v in series] == [str(v) for v in inputs_only["pathway"]]
    with pytest.raises(gistpath.StateError, match="patient_id"):
        pathway_series(frame, GIST, errors="collect")  # an id not named is no input
    decide = Decider(GIST, output="decisions", ids=("patient_id",))
    assert tuple(decide.meta.columns) == ("patient_id", *DECISION_COLUMNS)
    copy = pickle.loads(pickle.dumps(decide))
    assert copy.ids == ("patient_id",)
    assert "ids=('patient_id',)" in repr(copy)
    got = copy(frame.drop(columns="ward"))
    assert list(got["patient_id"]) == list(frame["patient_id"])
    assert [str(v) for v in got["pathway"]] == [str(v) for v in inputs_only["pathway"]]


SIZES: list[int] = []


def counted(part: pd.DataFrame, decide: Decider) -> Any:
    SIZES.append(len(part))
    return decide(part)


@pytest.mark.slow
def test_dask_map_partitions_runs_per_partition_and_matches() -> None:
    dask = pytest.importorskip("dask")
    dd = pytest.importorskip("dask.dataframe")
    frame = gist_frame(400).drop(index=17).reset_index(drop=True)
    expected = pathway_series(frame, GIST)
    decide = Decider(GIST)
    # Dask turns object columns into strings by default; mitotic_rate mixes numbers and
    # 'unknown', which only an object column holds.
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dd.from_pandas(frame, npartitions=4)[list(GIST.inputs)]
    SIZES.clear()
    lazy = ddf.map_partitions(counted, decide, meta=decide.meta)
    assert SIZES == []  # meta given: nothing ran on dummy data
    got = lazy.compute(scheduler="threads")
    assert sorted(SIZES) == sorted(len(ddf.partitions[i].compute()) for i in range(4))
    assert len(SIZES) == 4
    assert sum(SIZES) == len(frame)
    assert got.name == "pathway"
    assert list(got.index) == list(expected.index)
    assert [str(v) for v in got] == [str(v) for v in expected]
    # In worker processes the Decider travels as rule text and is rebuilt there.
    in_processes = ddf.map_partitions(decide, meta=decide.meta).compute(
        scheduler="processes", num_workers=2
    )
    assert [str(v) for v in in_processes] == [str(v) for v in expected]
    # A rule set itself may be the argument: it pickles (and hashes) as its text.
    direct = ddf.map_partitions(pathway_series, GIST, meta=("pathway", "object")).compute()
    assert [str(v) for v in direct] == [str(v) for v in expected]
    decisions = Decider(GIST, output="decisions")
    frame_out = ddf.map_partitions(decisions, meta=decisions.meta).compute()
    assert tuple(frame_out.columns) == DECISION_COLUMNS
    assert list(frame_out["pathway"]) == list(expected)


def test_a_decider_pickles_as_its_rule_text_and_hashes_deterministically() -> None:
    tokenize = pytest.importorskip("dask.base").tokenize
    frame = gist_frame(30)
    decide = Decider(GIST, errors="collect")
    data = pickle.dumps(decide)
    assert len(data) < len(GIST.text.encode()) + 500
    copy = pickle.loads(data)
    assert copy.ruleset is not GIST
    assert list(copy(frame)) == list(decide(frame))
    assert tokenize(decide) == tokenize(Decider(GIST, errors="collect")) == tokenize(copy)
    assert tokenize(decide) != tokenize(Decider(GIST))
    assert tokenize(decide) != tokenize(Decider(WALK, errors="collect"))
    assert tokenize(decide) != tokenize(Decider(GIST, errors="collect", ids=("id",)))
    with pytest.raises(ValueError, match="output"):
        Decider(GIST, output="series")


def test_a_ruleset_can_be_pickled() -> None:
    copy = pickle.loads(pickle.dumps(GIST))
    assert copy.evaluate(gist_state()).pathway == GIST.evaluate(gist_state()).pathway


# --------------------------------------------------------------------------- Spark


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")
def test_the_spark_recipe_in_the_docs() -> None:
    """docs/examples/spark_pathways.py, the recipe docs/dataframes.rst shows, on Spark."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    sys.path.insert(0, str(ROOT / "docs" / "examples"))
    try:
        import spark_pathways
    finally:
        sys.path.pop(0)
    frame = gist_frame(300)
    frame.insert(0, "id", range(len(frame)))
    frame["mitotic_rate"] = frame["mitotic_rate"].map(str)  # a typed store cannot mix
    spark = spark_pathways.local_session()
    try:
        rows = spark_pathways.decide(spark.createDataFrame(frame), "gist").collect()
    finally:
        spark.stop()
    decided = {row["id"]: row.asDict() for row in rows}
    assert sorted(decided) == list(range(len(frame)))  # every row out, bad ones included
    assert decided[17]["pathway"] is None
    assert decided[17]["rule"] is None
    assert "site" in decided[17]["error"]
    for i, row in enumerate(pandas_records(frame.drop(columns="id"))):
        if i == 17:
            continue
        if row["mitotic_rate"] != "unknown":
            row["mitotic_rate"] = int(row["mitotic_rate"])
        decision = GIST.evaluate(row)
        assert decided[i]["pathway"] == decision.pathway
        assert decided[i]["rule"] == decision.rule
        assert decided[i]["considerations"] == list(decision.considerations)
        assert decided[i]["error"] is None


def test_the_docs_show_the_recipes_and_the_helpers() -> None:
    text = (ROOT / "docs" / "dataframes.rst").read_text(encoding="utf-8")
    assert ".. literalinclude:: examples/spark_pathways.py" in text
    assert Path(ROOT / "docs" / "examples" / "spark_pathways.py").is_file()
    for name in ("pathway_series", "decision_frame", "Decider", "convert-string", "Int64"):
        assert name in text

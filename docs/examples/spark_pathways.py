"""Decide the pathway of every row of a Spark DataFrame with gistpath (``mapInPandas``).

Spark hands each task an iterator of pandas DataFrames (Arrow record batches converted to
pandas). A :class:`gistpath.batch.Decider` travels to the executors as the rule text
(checked on the driver first, so a broken file fails before any task starts), compiles it
once per Python worker, and turns every batch into one output row per input row: bad rows
are kept, with their error, never dropped.

Run by ``tests/test_dataframes.py`` where pyspark and Java are installed.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

import gistpath
from gistpath.batch import Decider


def decide(sdf: Any, rules: str, keep: Sequence[str] = ("id",)) -> Any:
    """``sdf`` with the columns ``keep`` and the decision of each row.

    ``rules`` is a rule file's path or the name of a bundled rule set (``"gist"``).
    """
    if Path(rules).exists():
        name, text = rules, Path(rules).read_text(encoding="utf-8")
    else:
        name, text = rules, gistpath.builtin_path(rules).read_text(encoding="utf-8")
    declared = gistpath.loads(text, name)  # on the driver: a bad file fails here
    decider = Decider(declared, output="decisions", ids=keep)  # keep: the first columns out
    inputs = list(declared.inputs)
    # A typed column cannot mix numbers and the word 'unknown': such inputs arrive as text
    # ("12", "unknown") and are turned into numbers here, explicitly, before deciding.
    mixed = {
        n: item.kind == "integer"
        for n, item in declared.inputs.items()
        if item.kind in ("integer", "number") and item.domain.allows_unknown
    }

    def number_or_unknown(value: object, integer: bool) -> object:
        if not isinstance(value, str) or value == "unknown" or not value.isascii():
            return value
        try:
            return int(value) if integer else float(value)
        except ValueError:
            return value  # left as text: gistpath reports the row

    def per_batch(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for batch in batches:
            states = batch[[*keep, *inputs]].copy()
            for column, integer in mixed.items():
                states[column] = (
                    states[column]
                    .map(lambda v, integer=integer: number_or_unknown(v, integer))
                    .astype(object)
                )
            yield decider(states)

    kept = [f"{c} {sdf.schema[c].dataType.simpleString()}" for c in keep]
    schema = ", ".join(
        [*kept, "pathway string", "rule string", "considerations array<string>", "error string"]
    )
    return sdf.mapInPandas(per_batch, schema=schema)


def local_session() -> Any:
    """A small local Spark session whose Python workers run this interpreter."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master("local[2]")
        .appName("gistpath")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )

"""How fast the language server answers an editor, measured through the real server.

Run: ``python benchmarks/lsp.py [--repeats N] [--rules N]`` (needs the ``lsp`` extra).

Starts ``python -m gistpath lsp`` and talks JSON-RPC to it over stdio, as an editor does,
with a small client of its own (no pygls on this side, so the figures are the server's).
On the bundled GIST file it measures, from the moment a ``didChange`` is written:

- **diagnostics**: until the syntax and semantic diagnostics are published, and until the
  verified ones are (the server's ``gistpath/status`` notification says which is which);
  goal: verified diagnostics within 150 ms of an edit;
- **hover** and **completion** round trips (goal: 20 ms each);

and on the generated 2,000-rule decision tree of ``verify_scaling.py``: the time to the
syntax diagnostics after an edit, to the verified ones, and a hover's round trip while
verification is running (typing must not wait for it).

Each figure is the minimum and the median of ``repeats`` rounds (after one warm-up);
nothing here asserts a time. The same two stages are also timed in this process in CPU
time, which a busy machine inflates much less than the round trips.

Two kinds of edit are timed on GIST. **Comment edits** alternate between two texts that
differ in one comment word, so every round is a new text and the whole pipeline runs (the
proof finds nothing new to do). **Semantic edits** (:func:`semantic_edits`) make the
verifier prove again: they alternate between a threshold of the surveillance rule
(``size_cm < 2 cm`` of ``small_upper_gi``, moved to a value that falls between other
thresholds of ``size_cm`` than the last edit's did, so the cells of ``size_cm`` change
every round) and an output cell of the AFIP table (a different row each round, set to a
value it did not have). Since the server keeps only what the previous proof used, no
round finds its answers from two rounds before.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GIST = ROOT / "src" / "gistpath" / "rules" / "gist.gprules"
sys.path.insert(0, str(Path(__file__).resolve().parent))


class Server:
    """``gistpath lsp`` in a subprocess, and a reader thread queueing what it says."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gistpath", "lsp"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.replies: dict[int, dict[str, Any]] = {}
        self.statuses: dict[tuple[str, int], list[dict[str, Any]]] = {}
        self.arrived = threading.Condition()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
        self.notify("initialized", {})

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                byte = stream.read(1)
                if not byte:
                    return
                header += byte
            length = int(header.split(b"Content-Length:")[1].split(b"\r\n")[0])
            message = json.loads(stream.read(length))
            with self.arrived:
                if "id" in message and "method" not in message:
                    self.replies[message["id"]] = message
                elif message.get("method") == "gistpath/status":
                    params = message["params"]
                    key = (params["uri"], params["version"])
                    self.statuses.setdefault(key, []).append(params)
                self.arrived.notify_all()

    def _send(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self._send({"jsonrpc": "2.0", "id": wanted, "method": method, "params": params})
        with self.arrived:
            self.arrived.wait_for(lambda: wanted in self.replies, 600)
            return self.replies.pop(wanted)

    def status(self, uri: str, version: int, *, done: bool) -> dict[str, Any]:
        """The first status of a version (``done=False``) or its final one."""

        def found() -> dict[str, Any] | None:
            seen = self.statuses.get((uri, version), [])
            if not done:
                return seen[0] if seen else None
            return next((p for p in seen if p["done"]), None)

        with self.arrived:
            self.arrived.wait_for(lambda: found() is not None, 600)
            result = found()
        assert result is not None
        return result

    def close(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(60)


def _stats(values: list[float]) -> str:
    return f"min {min(values) * 1000:8.1f} ms   median {statistics.median(values) * 1000:8.1f} ms"


THRESHOLD = "    size_cm < 2 cm\n"  # in let small_upper_gi, read by the surveillance rule
THRESHOLD_VALUES = ("3", "7", "1.5", "12", "4", "8")  # each in other cells than the last
# AFIP table rows (their first three cells), their risk, and the risk each is set to in turn
CELLS = (
    ("| <= 5         | > 2 and <= 5  | jejunum_ileum | ", "low", "moderate"),
    ("| > 5          | > 5 and <= 10 | gastric       | ", "high", "moderate"),
    ("| <= 5         | > 10          | gastric       | ", "moderate", "high"),
)
RISK_WIDTH = 18  # characters of the risk column between its '| ' and '|'


def semantic_edits(text: str, count: int) -> list[str]:
    """``count`` edited versions of the GIST text, alternating a threshold and a table cell.

    Raises ``ValueError`` if the GIST text no longer holds a line edited here.
    """
    edits = []
    for number in range(count):
        if number % 2 == 0:
            value = THRESHOLD_VALUES[(number // 2) % len(THRESHOLD_VALUES)]
            old, new = THRESHOLD, THRESHOLD.replace("2", value)
        else:
            row, before, after = CELLS[(number // 2) % len(CELLS)]
            old, new = row + before.ljust(RISK_WIDTH) + "|", row + after.ljust(RISK_WIDTH) + "|"
        if text.count(old) != 1:
            raise ValueError(f"the GIST text has no line {old!r} to edit")
        edits.append(text.replace(old, new))
    return edits


def measure(
    text: str,
    uri: str,
    repeats: int,
    hover_at: tuple[int, int],
    edited: list[str] | None = None,
) -> dict[str, list[float]]:
    """Round trips after each of ``repeats`` edits; ``edited``: the texts to send in turn
    (by default two that differ in a comment word)."""
    server = Server()
    version = 1
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "gistpath", "version": 1, "text": text}},
    )
    server.status(uri, 1, done=True)
    figures: dict[str, list[float]] = {"syntax": [], "verified": [], "hover": [], "completion": []}
    if edited is None:
        edited = [text + "# one\n", text + "# two\n"]
    where = {
        "textDocument": {"uri": uri},
        "position": {"line": hover_at[0], "character": hover_at[1]},
    }
    for round_ in range(repeats + 1):
        version += 1
        start = time.perf_counter()
        server.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": edited[round_ % len(edited)]}],
            },
        )
        first = server.status(uri, version, done=False)
        syntax = time.perf_counter() - start
        hover_start = time.perf_counter()
        server.request("textDocument/hover", where)  # while verification runs
        hover_during = time.perf_counter() - hover_start
        if not first["done"]:
            server.status(uri, version, done=True)
        verified = time.perf_counter() - start
        hover_start = time.perf_counter()
        server.request("textDocument/hover", where)
        hover = time.perf_counter() - hover_start
        completion_start = time.perf_counter()
        server.request("textDocument/completion", where)
        completion = time.perf_counter() - completion_start
        if round_:  # the first round warms up
            figures["syntax"].append(syntax)
            figures["verified"].append(verified)
            figures["hover"].append(hover)
            figures["completion"].append(completion)
            figures.setdefault("hover during verification", []).append(hover_during)
    server.close()
    return figures


def stages(text: str, repeats: int, edits: list[str] | None = None) -> dict[str, list[float]]:
    """CPU time (this thread's, so another process's load does not count) of each stage
    the server runs after an edit, in this process: a steadier figure on a shared machine
    than the round trips, which also wait for a core. ``edits``: the texts in turn (by
    default a new comment line each round)."""
    from gistpath.lsp import analysis

    figures: dict[str, list[float]] = {"analyze (CPU)": [], "verify (CPU)": []}
    analysis.verify(analysis.analyze(text))
    for round_ in range(repeats):
        edited = text + f"# edit {round_}\n" if edits is None else edits[round_ % len(edits)]
        start = time.thread_time()
        found = analysis.analyze(edited)
        middle = time.thread_time()
        analysis.verify(found)
        end = time.thread_time()
        figures["analyze (CPU)"].append(middle - start)
        figures["verify (CPU)"].append(end - middle)
    figures["both (CPU)"] = [a + b for a, b in zip(*figures.values(), strict=True)]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--rules", type=int, default=2000, help="rules of the generated file")
    parser.add_argument("--big-repeats", type=int, default=3)
    args = parser.parse_args()

    gist = GIST.read_text(encoding="utf-8")
    lines = gist.split("\n")
    row = next(i for i, line in enumerate(lines) if "site in {" in line)
    column = lines[row].index("site in {") + len("site in {")
    print(f"GIST file ({len(lines)} lines), {args.repeats} rounds; hover and completion at")
    print(f"line {row + 1}, after 'site in {{' (the sites are offered)")
    goal = {"verified": "goal < 150 ms", "hover": "goal < 20 ms", "completion": "goal < 20 ms"}
    print(" comment edits:")
    for name, values in measure(
        gist, "file:///bench/gist.gprules", args.repeats, (row, column)
    ).items():
        print(f"  {name:28s} {_stats(values)}   {goal.get(name, '')}")
    for name, values in stages(gist, args.repeats).items():
        print(f"  {name:28s} {_stats(values)}")
    print(" semantic edits (a threshold and a table cell, in turn):")
    edits = semantic_edits(gist, 12)
    for name, values in measure(
        gist, "file:///bench/gist.gprules", args.repeats, (row, column), edits
    ).items():
        print(f"  {name:28s} {_stats(values)}   {goal.get(name, '')}")
    for name, values in stages(gist, args.repeats, edits).items():
        print(f"  {name:28s} {_stats(values)}")
    load = Path("/proc/loadavg")
    if load.exists():
        print(f"  (load average while measuring: {load.read_text().split()[0]})")

    from verify_scaling import decision_tree_rules

    big = decision_tree_rules(args.rules)
    size = f"{big.count(chr(10))} lines, {len(big):,} characters"
    print(f"\ngenerated decision tree: {args.rules} rules, {size}")
    for name, values in measure(
        big, "file:///bench/tree.gprules", args.big_repeats, (30, 10)
    ).items():
        print(f"  {name:28s} {_stats(values)}")


if __name__ == "__main__":
    main()

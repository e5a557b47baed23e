"""Pass: derived values in dependency order, and circles between them reported.

Design: a depth-first walk (with an explicit stack, so a long chain cannot exhaust
Python's) over :attr:`Scope.depends`, started from each derived value in file order, lists
every derived value after the ones it reads: the order in which the compiler substitutes
them (:attr:`gistpath.model.Model.derived_order`). A value reached again while still on
the path closes a circle, reported at that value with the whole circle.
"""

from __future__ import annotations

from gistpath.check.scope import Scope


def check_dependencies(scope: Scope) -> None:
    """Fill :attr:`Scope.derived_order`; report every circle between derived values."""
    order: list[str] = []
    state: dict[str, int] = {}
    for start in [n for n in scope.derived_nodes if n in scope.depends]:  # file order
        if state.get(start):
            continue
        stack: list[tuple[str, list[str]]] = [(start, sorted(scope.depends.get(start, ())))]
        state[start] = 1
        path = [start]
        while stack:
            name, pending = stack[-1]
            if pending:
                nxt = pending.pop()
                mark = state.get(nxt, 0)
                if mark == 1:
                    cycle = [*path[path.index(nxt) :], nxt]
                    scope.error(
                        scope.derived_nodes[nxt],
                        "these derived values depend on each other in a circle: "
                        + " -> ".join(cycle),
                    )
                elif mark == 0 and nxt in scope.depends:
                    state[nxt] = 1
                    stack.append((nxt, sorted(scope.depends[nxt])))
                    path.append(nxt)
            else:
                stack.pop()
                path.pop()
                state[name] = 2
                order.append(name)
    scope.derived_order = tuple(order)

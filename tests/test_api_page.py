"""The API page (docs/api.rst) against the package: every public name on it, nothing private.

The docs are built as CI builds them and the ids of the objects the page documents are read
from its HTML. Every name in ``gistpath.__all__`` must be there as ``gistpath.<name>``, and
for each public class every public member it defines (or inherits from a gistpath class
that is not public itself) as ``gistpath.<class>.<member>``; members inherited from Python's
own classes (an exception's ``args``, a sequence's ``count``) are Python's to document.
No documented id may have a private part (``_x``), and every object the page shows from a
submodule must exist there, so the page never promises a name that cannot be imported.
"""

from __future__ import annotations

import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import gistpath

from samples import ROOT

# Public by name but not part of the API, each with the reason it is left off the page.
INTERNAL: dict[str, str] = {}


# Each test reads the API page of a Sphinx build: a build, so the whole module is slow.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def documented(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out = tmp_path_factory.mktemp("api-docs") / "html"
    subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-W", "-n", "-b", "html", "docs", str(out)],
        cwd=ROOT,
        check=True,
    )
    page = (out / "api.html").read_text(encoding="utf-8")
    return set(re.findall(r'<dt class="sig sig-object py" id="([^"]+)"', page))


def _public_members(cls: type) -> list[str]:
    out = []
    for name in dir(cls):
        if name.startswith("_"):
            continue
        owner = next((k for k in cls.__mro__ if name in vars(k)), None)
        if owner is None or not owner.__module__.startswith("gistpath"):
            continue
        # Inherited from another public class: documented there (StateError.line, not
        # BatchError.line).
        if owner is not cls and getattr(gistpath, owner.__name__, None) is owner:
            continue
        out.append(name)
    return out


def _expected() -> set[str]:
    names = set()
    for name in gistpath.__all__:
        if name == "__version__":
            continue
        names.add(f"gistpath.{name}")
        obj = getattr(gistpath, name)
        if inspect.isclass(obj):
            names |= {
                f"gistpath.{name}.{member}"
                for member in _public_members(obj)
                if f"{name}.{member}" not in INTERNAL
            }
    return names


def test_every_public_name_and_member_is_on_the_page(documented: set[str]) -> None:
    missing = sorted(_expected() - documented)
    assert missing == [], f"public but not on the API page: {missing}"


def test_nothing_private_is_on_the_page(documented: set[str]) -> None:
    private = sorted(
        ident
        for ident in documented
        if any(part.startswith("_") for part in ident.split("."))
        or ident.removeprefix("gistpath.") in INTERNAL
    )
    assert private == []


def test_every_name_on_the_page_can_be_imported_where_it_says(documented: set[str]) -> None:
    for ident in sorted(documented):
        parts = ident.split(".")
        # The longest importable module prefix, then attributes down from it.
        for cut in range(len(parts), 0, -1):
            try:
                obj: object = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            for attribute in parts[cut:]:
                assert hasattr(obj, attribute), ident
                obj = getattr(obj, attribute)
            break
        else:  # pragma: no cover - the page only documents gistpath
            pytest.fail(f"{ident}: no module to import it from")


def test_the_lists_agree_with_the_package_itself() -> None:
    """The check above means something: the package does have public members to list."""
    expected = _expected()
    assert "gistpath.RuleSet.evaluate" in expected
    assert "gistpath.VerificationReport.gaps" in expected
    assert "gistpath.Decision.as_dict" in expected
    assert Path(ROOT / "docs" / "api.rst").is_file()

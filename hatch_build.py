"""Build hook: compile ``src/gistpath/_kernel.c``, the batch path's optional C loops.

Design: the kernel is one C file that uses only Python's C API and the buffer protocol (no
numpy headers), so it needs nothing but a C compiler and Python's headers. It is compiled
with the compiler and flags Python itself was built with (``sysconfig``'s ``LDSHARED``),
into the wheel (which then carries a platform tag) or, for an editable install, next to
the sources. When that fails, the build goes on and the wheel is pure Python:
``gistpath.batch`` then runs the same batches through numpy alone, slower but with
the same answers.

``GISTPATH_BUILD_KERNEL`` chooses: ``0`` never compiles; ``require`` fails the build when
compiling fails (CI sets it, so the compiled path is the one tested there); anything else,
or unset, tries and warns.

Limits: POSIX compilers (gcc, clang) only; Windows builds get the pure wheel.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = Path("src", "gistpath", "_kernel.c")


def compile_kernel(root: Path, target: Path) -> None:
    """Compile the kernel into ``target``; raises ``RuntimeError`` saying why it could not."""
    ldshared = sysconfig.get_config_var("LDSHARED")
    if not ldshared or os.name == "nt":
        raise RuntimeError("no POSIX compiler command in sysconfig (LDSHARED)")
    command = [
        *shlex.split(ldshared),
        "-O3",
        "-DNDEBUG",  # as Python's own CFLAGS: no assert() from its headers in the loops
        "-fPIC",
        "-pthread",  # _kernel.objects' helper threads
        "-std=c99",
        "-I" + sysconfig.get_paths()["include"],
        str(root / SOURCE),
        "-o",
        str(target),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise RuntimeError(f"{command[0]}: {error}") from None
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)}\n{done.stderr}")


class KernelBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Compiles the kernel for wheels and editable installs (see the module docstring)."""

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        choice = os.environ.get("GISTPATH_BUILD_KERNEL", "").strip().lower()
        if choice == "0":
            return
        root = Path(self.root)
        name = "_kernel" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")
        if version == "editable":  # the sources are imported in place: put it beside them
            target = root / "src" / "gistpath" / name
        else:
            target = Path(tempfile.mkdtemp(prefix="gistpath-kernel-")) / name
        try:
            compile_kernel(root, target)
        except RuntimeError as error:
            # An old build beside the sources would be imported and would not match them.
            target.unlink(missing_ok=True)
            if choice == "require":
                raise
            print(
                f"gistpath: the C kernel was not compiled; batches will use numpy alone.\n{error}",
                file=sys.stderr,
            )
            return
        if version != "editable":
            build_data["force_include"][str(target)] = "gistpath/" + name
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

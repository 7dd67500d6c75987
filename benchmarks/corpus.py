"""Real code from PyPI for the scan benchmarks: wheels fetched with pip, unpacked once into a cache folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

PACKAGES = {"django": "django==5.2.19", "wagtail": "wagtail==8.0.1"}
CACHE = Path(os.environ.get("PO_BENCH_DIR", Path.home() / ".cache" / "performance-optimizer-bench"))


def tree(name: str) -> Path:
    """The unpacked package, with a pyproject.toml so it is its own project root."""
    spec = PACKAGES[name]
    dest = CACHE / spec.replace("==", "-")
    if not (dest / "pyproject.toml").exists():
        wheels = CACHE / "wheels"
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", spec, "-d", str(wheels)], check=True)
        wheel = next(w for w in wheels.glob("*.whl") if w.name.lower().startswith(spec.replace("==", "-").lower()))
        with zipfile.ZipFile(wheel) as z:
            z.extractall(dest)
        (dest / "pyproject.toml").write_text(f"[project]\nname = 'bench-{name}'\n")
    return dest


def count(root: Path) -> tuple[int, int]:
    files = list(root.rglob("*.py"))
    return len(files), sum(p.read_bytes().count(b"\n") for p in files)

"""What a scan will read, decided before anything is parsed: the files, their stamps, and the key under
which the findings of an identical earlier scan were stored. Kept free of heavy imports (no pydantic, no
detectors) so that an unchanged rescan from the shell can answer from the cache straight away."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .files import PathFilter, discover
from .suffixes import SPEC_SUFFIXES, deployed

Stamp = tuple[str, int, int]  # path, mtime_ns, size


@dataclass(frozen=True)
class ScanPlan:
    root: Path
    paths: tuple[str, ...]
    flt: PathFilter
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    min_severity: str | None = None
    max_findings: int | None = None
    use_cache: bool = True
    jobs: int | None = None
    max_bytes: int = 2 * 1024 * 1024
    ruff: str = ""  # the ruff binary and codes merged (analysis/ruff.py identity); empty: no ruff
    notes: tuple[str, ...] = ()  # said in the report whatever the cache holds (e.g. that ruff is not installed)
    # the user's production sizes ((table, rows), ...): applied after the caches (table_sizes.py), never part of their keys
    table_rows: tuple[tuple[str, int], ...] = ()
    sizes_read_from: str = ""  # the database the sizes not given in table_rows were read from (`scan --database`)
    sizes_given: tuple[str, ...] = ()  # the tables whose sizes the user gave (table_rows): they win over the database's


@dataclass(frozen=True)
class Inventory:
    stamps: list[Stamp]
    problems: list[tuple[str, str]]  # (path, reason) for files skipped before parsing
    django: tuple[int, int] | None = None  # the Django the project declares: the fixes offered depend on it
    deploy: tuple[Stamp, ...] = ()  # the deployment files that may start its management commands (command_starts.py)
    served: bool = False  # a Dockerfile, Procfile or compose file at the root deploys it: an application (suffixes.py)

    def key(self, plan: ScanPlan) -> str:
        """Identifies these exact files in these exact versions, and whether they are the whole project (a sub-folder
        holding every file is not: unused code and the commands nothing starts are judged on a whole scan only)."""
        whole = plan.paths == (".",)
        return hashlib.sha256(repr((plan.max_bytes, plan.ruff, self.stamps, self.django, self.deploy, self.served, whole)).encode()).hexdigest()


def inventory(plan: ScanPlan) -> Inventory:
    from .cache import load_listing, save_listing

    listing = load_listing(plan.root) if plan.use_cache else None
    before = dict(listing) if listing is not None else None
    deploy: list[str] = []
    rels, problems = discover(plan.root, list(plan.paths), plan.flt, listing=listing, deploy=deploy)
    if listing is not None and listing != before:
        save_listing(plan.root, listing)
    stamps: list[Stamp] = []
    for rel in rels:
        try:
            st = os.stat(plan.root / rel)
        except OSError as exc:
            problems.append((rel, f"cannot read: {exc.strerror or exc}"))
            continue
        stamps.append((rel, st.st_mtime_ns, st.st_size))
    from .versions import django_version

    # deployment files are read for the commands they start (a project with management commands) and for the handlers
    # an OpenAPI document routes to (openapi_specs.py)
    commands = any("management/commands/" in rel for rel, _m, _s in stamps)
    read = [rel for rel in deploy if commands or rel.endswith(SPEC_SUFFIXES)]
    served = deployed(deploy, (rel for rel, _m, _s in stamps), lambda rel: _text(plan.root / rel))
    return Inventory(stamps, problems, django_version(plan.root), tuple(_stamps(plan.root, read)), served)


def _text(path: Path) -> str:
    try:
        return path.read_text(errors="replace")[:100_000]
    except OSError:
        return ""


def _stamps(root: Path, rels: list[str]):
    for rel in rels:
        try:
            st = os.stat(root / rel)
        except OSError:
            continue  # a deployment file that vanished names nothing
        yield rel, st.st_mtime_ns, st.st_size

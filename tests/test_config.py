import os

import pytest

from mcp_server.config import DEFAULT_INCLUDE, find_root, load_config, resolve_inside
from mcp_server.errors import InputError


def test_root_is_nearest_pyproject_or_git(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAUDE_PROJECT_DIR", raising=False)
    (tmp_path / "pyproject.toml").write_text("")
    deep = tmp_path / "src" / "pkg"
    deep.mkdir(parents=True)
    assert find_root(start=deep) == tmp_path.resolve()
    (tmp_path / "src" / ".git").mkdir()
    assert find_root(start=deep) == (tmp_path / "src").resolve()


def test_claude_project_dir_beats_discovery_and_root_flag_beats_both(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    monkeypatch.setenv("CLAUDE_PROJECT_DIR", str(a))
    assert find_root(start=b) == a.resolve()
    assert find_root(explicit=b) == b.resolve()
    with pytest.raises(InputError, match=r"^root: .*missing is not a directory"):
        find_root(explicit=tmp_path / "missing")


def test_paths_that_escape_the_root_are_refused(tmp_path):
    root = tmp_path / "proj"
    (root / "app").mkdir(parents=True)
    (root / "app" / "m.py").write_text("")
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    os.symlink(outside, root / "app" / "link.txt")
    assert resolve_inside(root, "app/m.py", "path") == (root / "app" / "m.py").resolve()
    assert resolve_inside(root, str(root / "app"), "path") == (root / "app").resolve()
    for bad in ("../secret.txt", str(outside), "app/link.txt", "app/../../secret.txt"):
        with pytest.raises(InputError, match=r"^path: .* outside the project root"):
            resolve_inside(root, bad, "path")
    with pytest.raises(InputError, match="empty path"):
        resolve_inside(root, " ", "path")


def test_config_table_is_read_and_checked(tmp_path):
    assert load_config(tmp_path).sla == {}  # no pyproject: defaults
    (tmp_path / "pyproject.toml").write_text(
        """
[tool.performance-optimizer]
select = ["SLA001"]
exclude = ["migrations/**"]
min-severity = "low"
[tool.performance-optimizer.sla]
api_response_time = "p(95)<150"
nightly_import = ["avg<2000", "max<5000"]
[tool.performance-optimizer.thresholds]
max_file_kb = 1000
[tool.performance-optimizer.databases]
ledger = "data/ledger.sqlite3"
"""
    )
    cfg = load_config(tmp_path)
    assert cfg.sla == {"api_response_time": ("p(95)<150",), "nightly_import": ("avg<2000", "max<5000")}
    assert cfg.min_severity == "low" and load_config(tmp_path / "nowhere").min_severity == "medium"
    assert cfg.select == ("SLA001",) and cfg.exclude == ("migrations/**",) and cfg.include == DEFAULT_INCLUDE
    assert cfg.thresholds == {"max_file_kb": 1000.0} and cfg.threshold("max_file_kb") == 1000.0 and cfg.databases == {"ledger": "data/ledger.sqlite3"}


@pytest.mark.parametrize(
    "body, where",
    [
        ("[tool.performance-optimizer]\nslaa = 1\n", "pyproject.toml [tool.performance-optimizer].slaa: unknown key"),
        ("[tool.performance-optimizer]\nselect = 'SLA001'\n", ".select: expected a list of strings"),
        ("[tool.performance-optimizer.sla]\nx = 5\n", ".sla.x: expected an expression string"),
        ("[tool.performance-optimizer.thresholds]\nx = 1\n", ".thresholds.x: unknown threshold; known: max_file_kb"),
        ("[tool.performance-optimizer.thresholds]\nmax_file_kb = 'big'\n", ".thresholds.max_file_kb: expected a positive number"),
        ("[tool.performance-optimizer]\nfail-on = 'sometimes'\n", ".fail-on: expected one of critical, high, medium, low, info, never"),
        ("[tool.performance-optimizer]\nmin-severity = 'urgent'\n", ".min-severity: expected one of critical, high, medium, low, info, got 'urgent'"),
        ("[tool.performance-optimizer.databases]\nx = 1\n", ".databases.x: expected a SQLite path or a PostgreSQL DSN"),
        ("[tool.performance-optimizer\n", "not valid TOML"),
    ],
)
def test_bad_config_names_the_key(tmp_path, body, where):
    (tmp_path / "pyproject.toml").write_text(body)
    with pytest.raises(InputError) as err:
        load_config(tmp_path)
    assert where in str(err.value)


def test_a_broken_pyproject_without_our_table_leaves_the_defaults(tmp_path):
    # an isort section pasted in INI syntax: invalid TOML, but it cannot hold our settings, so a scan goes on
    (tmp_path / "pyproject.toml").write_text("[isort]\nprofile = black\nline_length = 100\n")
    config = load_config(tmp_path)
    assert (config.source, config.min_severity, config.select) == (None, "medium", ())


def test_config_is_reread_when_the_file_changes(tmp_path):
    p = tmp_path / "pyproject.toml"
    p.write_text('[tool.performance-optimizer.sla]\nm = "max<1"\n')
    assert load_config(tmp_path).sla == {"m": ("max<1",)}
    p.write_text('[tool.performance-optimizer.sla]\nm = "max<2"\n')
    os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 1_000_000))
    assert load_config(tmp_path).sla == {"m": ("max<2",)}

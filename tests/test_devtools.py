"""The tooling (benchmark, load test, synthetic logs) and the module structure it relies on."""
import ast
import json
import subprocess
import sys
import urllib.request

from timeline.devtools.serving import serve_app

from .conftest import DATA, ROOT

PACKAGE = ROOT / "timeline"


def _module(path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, list[tuple[str, list[str]]]]:
    """Module -> every (imported module, imported names) in it, at any depth (lazy imports too)."""
    out = {}
    for path in PACKAGE.rglob("*.py"):
        name = _module(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [(a.name, []) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
                base = package
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                target = f"{base}.{node.module}" if node.level and node.module else (node.module or base)
                found.append((target, [a.name for a in node.names]))
        out[name] = found
    assert len(out) > 10  # guard against checking nothing
    return out


def _edges(imports) -> dict[str, set[str]]:
    """Module -> our modules it imports (`from . import x` counts as importing the module x)."""
    edges = {}
    for name, found in imports.items():
        edges[name] = set()
        for target, names in found:
            for candidate in [f"{target}.{n}" for n in names] + [target]:
                if candidate in imports and candidate != name:
                    edges[name].add(candidate)
                    break
    return edges


def test_no_import_cycles_between_our_modules():
    edges = _edges(_imports())
    # a package imports its own modules on purpose (__init__ re-exports): only cycles between modules count
    edges = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in edges.items()}
    state: dict[str, int] = {}

    def visit(module, trail):
        state[module] = 1
        for target in sorted(edges[module]):
            assert state.get(target) != 1, "import cycle: " + " -> ".join(trail + [module, target])
            if target not in state:
                visit(target, trail + [module])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [])


def test_no_module_imports_another_modules_private_names():
    offenders = [f"{name}: from {target} import {n}" for name, found in _imports().items()
                 for target, names in found for n in names if n.startswith("_")]
    assert offenders == []


def test_the_runtime_never_imports_the_tooling():
    edges = _edges(_imports())
    runtime = [m for m in edges if not m.startswith("timeline.devtools") and m != "timeline.cli"]
    assert [m for m in runtime if any(t.startswith("timeline.devtools") for t in edges[m])] == []


def test_a_benchmark_measurement_runs_in_a_fresh_process(tmp_path):
    out = subprocess.run([sys.executable, "-m", "timeline.devtools.measure", "cold-load", str(DATA / "valid.yaml"),
                          "--cache", str(tmp_path / "cache")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert 0 < result["s"] < 30 and result["peak_mb"] > 10
    assert list((tmp_path / "cache").glob("log-*.pkl"))


def test_serve_app_answers_and_stops(tmp_path):
    log = tmp_path / "events.yaml"
    log.write_text((DATA / "valid.yaml").read_text())
    with serve_app(log) as url:
        with urllib.request.urlopen(url + "/", timeout=30) as response:
            assert response.status == 200 and b"_dash-config" in response.read()
    try:
        urllib.request.urlopen(url + "/", timeout=5)
        raise AssertionError("the server still answers after the block")
    except OSError:
        pass


def test_the_peer_targets_compare_our_first_chart_and_interactive_time_with_vis_timelines_drawn_time():
    from timeline.devtools import bench

    def row(first, interactive, drawn, vis):
        peer = {"first_s": vis, "drawn_s": vis, "html_kb": 50.0, "js_kb": 600.0, "transferred_kb": 0.0}
        return {"ours": {"first_s": first, "interactive_s": interactive, "drawn_s": drawn, "html_kb": 190.0,
                         "js_kb": 3.0, "transferred_kb": 190.0}, "ours_s": drawn,
                "vis-timeline": peer, "timelinejs": "timeout (>60 s)", "ours_over_vis-timeline": drawn / vis,
                "first_over_vis-timeline": first / vis, "interactive_over_vis-timeline": interactive / vis}

    result = {"sizes": {}, "peers": {500: row(0.15, 0.30, 1.2, 0.2), 2000: row(0.5, 0.6, 1.5, 0.4)}}
    targets = {t["target"]: t["pass"] for t in bench.check_targets(result)}
    assert targets["first chart <= vis-timeline drawn at 500 events (ratio)"] is True
    assert targets["interactive <= 1.5x vis-timeline drawn at 500 events (ratio)"] is True   # 1.5 exactly
    assert targets["first chart <= vis-timeline drawn at 2,000 events (ratio)"] is False    # 1.25
    assert targets["interactive <= 1.5x vis-timeline drawn at 2,000 events (ratio)"] is True
    table = "\n".join(bench.peer_table(result["peers"]))
    assert "timeout (>60 s)" in table and "first chart 0.75, interactive 1.50, drawn 6.00" in table

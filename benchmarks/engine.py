"""Engine overhead against plain Python, measured in the same process.

Workloads of no-op tasks: chain_1000 (linear), fanout_1000 (root, 1000 children,
join) and map_1000 (one mapped node over 1000 items). Per-task overhead is
(engine time - plain-Python time) / tasks, best of N repeats. Also: building the
FlowSpec of a 10,000-task flow, peak RSS, and `import dagy` time over a bare
interpreter (with the list of heavy modules it must not load).

Run: .venv/bin/python benchmarks/engine.py [--repeats 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dagy import flow, task  # noqa: E402


@task
def noop(*_args):
    return None


def plain_noop(*_args):
    return None


def make_chain(n):
    @flow(name=f"chain_{n}")
    def chain():
        out = noop()
        for _ in range(n - 1):
            out = noop(out)
        return out

    def baseline():
        out = plain_noop()
        for _ in range(n - 1):
            out = plain_noop(out)
        return out
    return chain, baseline, n


def make_fanout(n):
    @flow(name=f"fanout_{n}")
    def fanout():
        root = noop()
        children = [noop(root) for _ in range(n)]
        return noop(children)

    def baseline():
        root = plain_noop()
        return plain_noop([plain_noop(root) for _ in range(n)])
    return fanout, baseline, n + 2


def make_map(n):
    @flow(name=f"map_{n}")
    def mapped():
        return noop.map(list(range(n)))

    def baseline():
        return [plain_noop(i) for i in range(n)]
    return mapped, baseline, n


def best_of(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def measure_workload(maker, repeats):
    flow_obj, baseline, tasks = maker(1000)
    plan = flow_obj.plan  # trace once, as a deployed flow would be
    flow_obj.run_local()  # warm up threads and caches
    engine = best_of(lambda: flow_obj.run_local(), repeats)
    plain = best_of(baseline, repeats)
    return {"tasks": tasks, "engine_s": engine, "baseline_s": plain,
            "overhead_us_per_task": (engine - plain) / tasks * 1e6,
            "ratio_vs_plain": engine / plain if plain else float("inf"), "plan_tasks": len(plan.tasks)}


def measure_spec_build(n=10_000):
    @flow(name=f"wide_{n}")
    def wide():
        prev = noop()
        outs = []
        for i in range(n - 1):
            prev = noop(prev) if i % 2 else noop()
            outs.append(prev)
        return outs
    start = time.perf_counter()
    spec = wide.spec
    elapsed = time.perf_counter() - start
    assert len(spec.tasks) == n
    start = time.perf_counter()
    spec.to_json()
    to_json = time.perf_counter() - start
    return {"tasks": n, "build_s": elapsed, "to_json_s": to_json}


def measure_import(repeats=7):
    py = sys.executable
    root = str(Path(__file__).resolve().parent.parent)

    def run(code):
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run([py, "-c", code], check=True, cwd=root)
            best = min(best, time.perf_counter() - start)
        return best
    bare = run("pass")
    with_dagy = run("import dagy")
    heavy = subprocess.run(
        [py, "-c", "import dagy, sys; print(','.join(m for m in "
         "('sqlalchemy','fastapi','boto3','stripe','mangum','typer','rich') if m in sys.modules))"],
        check=True, cwd=root, capture_output=True, text=True).stdout.strip()
    return {"bare_s": bare, "import_dagy_s": with_dagy, "added_ms": (with_dagy - bare) * 1e3,
            "heavy_modules_loaded": heavy.split(",") if heavy else []}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    results = {name: measure_workload(maker, args.repeats) for name, maker in
               (("chain_1000", make_chain), ("fanout_1000", make_fanout), ("map_1000", make_map))}
    results["spec_build_10000"] = measure_spec_build()
    results["import"] = measure_import()
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"{'workload':<14}{'tasks':>7}{'engine ms':>11}{'plain ms':>10}{'µs/task':>10}{'x plain':>10}")
    for name in ("chain_1000", "fanout_1000", "map_1000"):
        r = results[name]
        print(f"{name:<14}{r['tasks']:>7}{r['engine_s']*1e3:>11.2f}{r['baseline_s']*1e3:>10.3f}"
              f"{r['overhead_us_per_task']:>10.1f}{r['ratio_vs_plain']:>10.0f}")
    s = results["spec_build_10000"]
    print(f"FlowSpec of {s['tasks']} tasks: built in {s['build_s']*1e3:.0f} ms, "
          f"to_json in {s['to_json_s']*1e3:.0f} ms")
    i = results["import"]
    print(f"import dagy: +{i['added_ms']:.1f} ms over a bare interpreter "
          f"({i['bare_s']*1e3:.1f} ms); heavy modules loaded: {i['heavy_modules_loaded'] or 'none'}")
    print(f"peak RSS: {results['peak_rss_mb']:.1f} MB")


if __name__ == "__main__":
    main()

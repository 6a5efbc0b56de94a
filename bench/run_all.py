"""Every benchmark, one after the other, then the table (Markdown, JSON) and the plots.

    bash scripts/bench.sh            # everything, 1M customers included (seeded once, cached)
    bash scripts/bench.sh --quick    # 10k and 100k customers only, fewer repetitions

Each benchmark writes artifacts/bench/parts/<name>.json; one that fails is reported and
the others still run (the exit status says so).
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable

from bench import api_vs_peer, console_app, index_sync, portal_pages, profile_api, real_conditions
from bench.plots import write_plots
from bench.report import write_summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="10k/100k customers, fewer reps")
    parser.add_argument(
        "--only",
        nargs="*",
        choices=["api", "index", "network", "console", "portal", "profile"],
        default=None,
        help="run only these benchmarks (the table still shows every part on disk)",
    )
    args = parser.parse_args(argv)
    big = 100_000 if args.quick else 1_000_000
    steps: dict[str, Callable[[], object]] = {
        "api": lambda: api_vs_peer.main(["--calls", "300" if args.quick else "1000"]),
        "index": lambda: index_sync.main(["--quick"] if args.quick else []),
        "network": lambda: real_conditions.main(["--quick"] if args.quick else []),
        "console": lambda: console_app.main(
            ["--customers", str(big), "--sync-customers", str(big)]
            + (["--starts", "3"] if args.quick else [])
        ),
        "portal": lambda: portal_pages.main(
            ["--reps", "100", "--browser-reps", "5"] if args.quick else []
        ),
        "profile": lambda: profile_api.main(["--calls", "500" if args.quick else "2000"]),
    }
    failed = []
    for name, step in steps.items():
        if args.only is not None and name not in args.only:
            continue
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        try:
            step()
        except Exception:
            traceback.print_exc()
            failed.append(name)
        print(f"   ({time.perf_counter() - started:.0f} s)", flush=True)
    for path in (*write_summary(), *write_plots()):
        print(f"wrote {path}")
    if failed:
        print(f"benchmarks that failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where the sandbox's time goes per API call: cProfile in its server thread.

The sandbox runs in this process with cProfile enabled in each thread it starts; the stripe
client runs in a process of its own (so it does not compete for this process's GIL),
making the same calls as the API benchmark. Shares are of the profiled threads' time:
cumulative (in the function or below it) and own. The profiler slows calls down ~2x;
the shares, not the times, are the point.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import stripe

from bench.report import ROOT, Part
from console.sandbox import Sandbox

stripe.enable_telemetry = False

WORKLOADS = ("retrieve customer", "list 100 customers", "create customer")


def client(url: str, key: str, operation: str, calls: int) -> None:
    """The calls, in this (separate) process."""
    api = stripe.StripeClient(key, base_addresses={"api": url}, max_network_retries=0)
    made = [api.v1.customers.create(params={"email": f"p{n}@example.com"}).id for n in range(100)]
    print("warm", flush=True)
    sys.stdin.readline()  # the sampler starts now
    started = time.perf_counter()
    for n in range(calls):
        if operation == "retrieve customer":
            api.v1.customers.retrieve(made[n % len(made)])
        elif operation == "list 100 customers":
            api.v1.customers.list(params={"limit": 100})
        else:
            api.v1.customers.create(params={"email": f"q{n}@example.com"})
    print(f"done {(time.perf_counter() - started) / calls * 1000:.3f}", flush=True)


def _profiled_threads() -> tuple[list[cProfile.Profile], Callable[[], None]]:
    """From now on, every new thread runs under a cProfile of its own; call the undo after."""
    profiles: list[cProfile.Profile] = []
    original = threading.Thread.run

    def run(thread: threading.Thread) -> None:
        profiler = cProfile.Profile()
        profiles.append(profiler)
        profiler.enable()
        try:
            original(thread)
        finally:
            profiler.disable()

    threading.Thread.run = run  # type: ignore[method-assign,assignment]

    def undo() -> None:
        threading.Thread.run = original  # type: ignore[method-assign]

    return profiles, undo


def profile(
    operation: str, calls: int, folder: Path
) -> tuple[list[tuple[str, float, float]], float]:
    """A fresh sandbox, its threads profiled, serving ``calls`` calls of ``operation``."""
    profiles, undo = _profiled_threads()
    try:
        sandbox = Sandbox(str(folder / f"{operation.replace(' ', '-')}.sqlite3")).start()
    finally:
        undo()
    try:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "bench.profile_api",
                "--client", sandbox.url, sandbox.api_key, operation, str(calls),
            ],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        assert process.stdin is not None and process.stdout is not None
        process.stdout.readline()  # warm
        process.stdin.write("go\n")
        process.stdin.flush()
        answer = process.stdout.readline()
        process.wait(60)
    finally:
        sandbox.stop()
    stats = pstats.Stats(*profiles)
    return hot_functions(stats), float(answer.split()[1])


IDLE = ("poll", "select", "sleep", "wait", "acquire")  # parked: not the sandbox's work


def _idle(name: str) -> bool:
    """Python functions by name; built-ins read "<built-in method time.sleep>" and the like."""
    return any(word in name for word in IDLE)


def hot_functions(stats: pstats.Stats, count: int = 14) -> list[tuple[str, float, float]]:
    """(function, cumulative share, own share) of the busy time, most own time first."""
    table = stats.stats  # type: ignore[attr-defined]
    idle = sum(entry[2] for (_, _, name), entry in table.items() if _idle(name))
    busy = (sum(entry[2] for entry in table.values()) - idle) or 1.0
    rows = []
    for (filename, line, name), (_, _, own, cumulative, _) in table.items():
        share = cumulative / busy
        if share >= 0.9 or _idle(name) or name == "run":
            continue  # the loop, the thread, the server: on every stack
        where = "/".join(Path(filename).parts[-2:])
        rows.append((f"{where}:{line} {name}", share, own / busy))
    rows.sort(key=lambda row: -row[2])  # by own time: what burns the CPU
    return rows[:count]


def main(argv: list[str] | None = None) -> Path | None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--client", nargs=4, metavar=("URL", "KEY", "OPERATION", "CALLS"))
    args = parser.parse_args(argv)
    if args.client:
        url, key, operation, calls = args.client
        client(url, key, operation, int(calls))
        return None
    part = Part("profile", "Where the sandbox's time goes (cProfile of its server thread)")
    part.settings = {"calls per workload": args.calls, "profiler": "cProfile in the server thread"}
    with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
        for operation in WORKLOADS:
            top, per_call = profile(operation, args.calls, Path(folder))
            part.raw[operation] = {"per_call_ms": per_call, "top": top}
            shown = "; ".join(
                f"{key} {own:.0%} own ({share:.0%} with callees)" for key, share, own in top
            )
            part.notes.append(
                f"{operation} ({per_call:.2f} ms a call under the profiler): {shown}."
            )
            print(f"  {operation}: {per_call:.2f} ms/call; {shown}", flush=True)
    path = part.finish()
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()

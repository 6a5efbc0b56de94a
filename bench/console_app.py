"""The desktop console as a user feels it: cold start, memory with a big index, loop stalls.

Each scenario starts the real app (``bench/console_driver.py`` runs ``ui.app.main``) in a
process of its own, offscreen; ``scripts/bench.sh`` runs this inside a throwaway keyring
session, as the app needs one.

- Cold start: process start to the main window shown with the customer search enabled,
  on the built-in sandbox with its demo data (seeded by an untimed first start).
- Sync: the app on a data folder whose built-in sandbox holds N scale customers and whose
  index is empty, so it starts a full sync (paced as the app paces it); a 5 ms probe on
  the event loop records the longest stall over the first seconds.
- Search: the app on N customers with the index already synced (from the index
  benchmark); queries typed key by key, 120 ms apart; stall, time from the last key to
  the results, and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import CACHE, ROOT, Part, Row, ms
from bench.servers import seeded_db
from bench.stats import Summary

TARGET_START_S = 2.0
TARGET_STALL_MS = 50.0
DRIVER = ROOT / "bench" / "console_driver.py"
QUERIES = ["olivia", "james wilson", "garcia", "sofia.nguyen", "studio.example"]


def launch(data_dir: Path, *extra: str, timeout: float = 900) -> dict[str, Any]:
    """One run of the app; the driver's reports by kind, plus the wall time to 'ready'."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, str(DRIVER), "--data-dir", str(data_dir), *extra],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=os.environ | {"QT_QPA_PLATFORM": "offscreen"},
    )
    found: dict[str, Any] = {}
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if not line.startswith("BENCH "):
                continue
            report = json.loads(line[6:])
            if report["kind"] == "ready":
                report["wall_s"] = time.perf_counter() - started
            found[report["kind"]] = report
            if time.perf_counter() - started > timeout:
                raise TimeoutError("the app took too long")
        process.wait(60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if "error" in found:
        raise RuntimeError(f"the app's scenario failed: {found['error']['message']}")
    if "ready" not in found:
        raise RuntimeError(f"the app exited ({process.returncode}) before it was ready")
    return found


def _checkpointed(db: Path) -> Path:
    """The cached database with its WAL folded in, so a hard link shows all of it."""
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def _platform_account(db: Path) -> str:
    with sqlite3.connect(db) as connection:
        row = connection.execute("SELECT value FROM meta WHERE key = 'platform_account'").fetchone()
    return str(row[0])


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def data_dir_on(root: Path, count: int, *, with_index: bool) -> Path:
    """An app data folder whose built-in sandbox is the cached ``scale:count`` database."""
    folder = root / f"scale-{count}-{'indexed' if with_index else 'empty'}"
    db = _checkpointed(seeded_db(count))
    _link(db, folder / "data" / "sandbox.sqlite3")
    if with_index:
        index = CACHE / f"index-{count}.sqlite3"
        if not index.exists():
            raise FileNotFoundError(f"{index} is missing: run bench.index_sync for {count} first")
        account = _platform_account(db)
        _link(_checkpointed(index), folder / "cache" / "index" / f"{account}-test.sqlite3")
    return folder


def stall_row(what: str, lateness: list[float], reps: str) -> Row:
    summary = Summary.of(lateness)
    over = sum(1 for value in lateness if value > TARGET_STALL_MS)
    return Row(
        what=what,
        value=f"longest {ms(summary.max)}",
        spread=f"p99 {ms(summary.p99)}, {over} probes over {TARGET_STALL_MS:.0f} ms",
        reps=reps,
        target=f"< {TARGET_STALL_MS:.0f} ms",
        met=summary.max < TARGET_STALL_MS,
        data=summary.as_json() | {"over_target": over},
    )


def _stalls(part: Part, when: str, report: dict[str, Any]) -> None:
    """Where the loop's thread was during stalls (the driver's stack samples), for the note."""
    places = report.get("stalled_in") or []
    part.raw[f"stalled_in ({when})"] = places
    if places:
        total = sum(count for _, count in places)
        top = "; ".join(f"{where} ({count})" for where, count in places[:3])
        part.notes.append(f"Stalls while {when}: {total} samples, most in {top}.")


def cold_start(part: Part, root: Path, reps: int) -> None:
    folder = root / "demo"
    launch(folder)  # first start seeds the demo data: not what "cold start" means here
    walls, inside, rss = [], [], []
    phases: dict[str, list[float]] = {}
    for _ in range(reps):
        found = launch(folder)
        for phase, seconds in found["ready"]["phases"].items():
            phases.setdefault(phase, []).append(seconds)
        walls.append(found["ready"]["wall_s"])
        inside.append(found["ready"]["seconds_in_process"])
        rss.append(found["memory"]["max_rss_kib"] / 1024)
    wall = Summary.of(walls)
    medians = {phase: Summary.of(values).median for phase, values in phases.items()}
    part.raw["cold start phases (median s)"] = medians
    part.notes.append(
        "Cold start, where the time goes (medians): "
        + "; ".join(f"{phase} {seconds:.2f} s" for phase, seconds in medians.items())
        + "."
    )
    part.add(
        Row(
            what="cold start to an interactive window (demo sandbox)",
            value=f"{wall.median:.2f} s",
            spread=f"min {wall.min:.2f} s, max {wall.max:.2f} s; "
            f"{Summary.of(inside).median:.2f} s of it after Python started the driver",
            reps=f"{reps} starts",
            target=f"< {TARGET_START_S:.0f} s",
            met=wall.median < TARGET_START_S,
            data=wall.as_json(),
        )
    )
    part.add(
        Row(
            what="peak memory, demo sandbox, started and closed",
            value=f"{Summary.of(rss).median:,.0f} MiB",
            reps=f"{reps} starts",
            data={"max_rss_mib": rss},
        )
    )


def sync_stall(part: Part, root: Path, count: int, seconds: float) -> None:
    found = launch(data_dir_on(root, count, with_index=False), "--watch-sync", str(seconds))
    sync = found["sync"]
    _stalls(part, f"syncing {count:,}", sync)
    part.add(
        stall_row(
            f"event-loop stall while syncing {count:,} customers",
            sync["lateness_ms"],
            f"{len(sync['lateness_ms'])} probes over {sync['seconds']:.0f} s "
            f"({sync['customers_synced']:,} customers synced)",
        )
    )


def search_big(part: Part, root: Path, count: int) -> None:
    found = launch(data_dir_on(root, count, with_index=True), "--type", *QUERIES)
    typing = found["typing"]
    label = f"{count:,}"
    _stalls(part, f"typing, {label} index", typing)
    part.add(
        stall_row(
            f"event-loop stall while typing in the search box, {label}-customer index",
            typing["lateness_ms"],
            f"{typing['keystrokes']} keys, 120 ms apart",
        )
    )
    felt = Summary.of(typing["results_after_last_key_ms"])
    part.add(
        Row(
            what=f"results shown after the last key, {label}-customer index",
            value=f"median {ms(felt.median)}",
            spread=f"max {ms(felt.max)} (includes the search box's 150 ms typing pause)",
            reps=f"{felt.n} queries",
            data=felt.as_json(),
        )
    )
    part.add(
        Row(
            what=f"start to interactive with the {label}-customer index",
            value=f"{found['ready']['wall_s']:.2f} s",
            reps="1 start",
            data={"seconds": found["ready"]["wall_s"]},
        )
    )
    part.add(
        Row(
            what=f"peak memory with the {label}-customer index open (search, close)",
            value=f"{found['memory']['max_rss_kib'] / 1024:,.0f} MiB",
            reps="1 run",
            data={"max_rss_kib": found["memory"]["max_rss_kib"]},
        )
    )


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--customers", type=int, default=1_000_000, help="size for search")
    parser.add_argument("--sync-customers", type=int, default=100_000)
    parser.add_argument("--sync-seconds", type=float, default=20.0)
    parser.add_argument("--starts", type=int, default=5)
    args = parser.parse_args(argv)
    part = Part("console", "Desktop console (offscreen, real keyring session)")
    part.settings = {"probe": "5 ms asyncio callback", "typing": "120 ms between keys"}
    with tempfile.TemporaryDirectory(prefix="bench-console-") as folder:
        root = Path(folder)
        cold_start(part, root, args.starts)
        sync_stall(part, root, args.sync_customers, args.sync_seconds)
        search_big(part, root, args.customers)
    path = part.finish()
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()

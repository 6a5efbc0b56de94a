"""Customer index at scale: full sync from the sandbox, size on disk, search-as-you-type.

For each size N the sandbox serves a database seeded with ``--seed scale:N`` (seeded once,
kept under artifacts/bench/cache/). The console's own code syncs it (``console.index.sync``
through ``console.gateway``), first without pacing, which shows what the code can do, and
for the smallest size also paced as the app paces a test-mode key. Then every prefix of a
realistic set of queries is searched the way the search box does, as a person types.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from pathlib import Path
from typing import Any

from bench.report import CACHE, Part, Row, latency_spread, ms
from bench.servers import seeded_db, start_sandbox
from bench.stats import Summary
from console.gateway.budget import LIVE_MODE_LIMITS, TEST_MODE_LIMITS
from console.gateway.client import Gateway
from console.index.store import IndexStore
from console.index.sync import PAGE_SIZE, full_sync
from console.sandbox.seed.scale import DOMAINS, FIRST_NAMES, LAST_NAMES

TARGET_P95_MS = 30.0
TEST_MODE_RATE = TEST_MODE_LIMITS.account
LIVE_MODE_RATE = LIVE_MODE_LIMITS.account
STRIPE_READ_LIMIT = LIVE_MODE_RATE * PAGE_SIZE  # customers/s a live key could list at most
UNPACED = 1e9


def typed(text: str) -> list[str]:
    """What the search box holds after each keystroke."""
    return [text[:n] for n in range(1, len(text) + 1)]


def queries(sample_id: str) -> list[str]:
    """What support staff type: names, surnames, emails, a domain, an id, a miss."""
    rng = random.Random(8)
    people = [(rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)) for _ in range(4)]
    found = [f"{first} {last}".lower() for first, last in people[:2]]
    found += [people[2][1].lower(), people[3][0].lower()]
    found += [f"{people[0][0]}.{people[0][1]}".lower() + "12", f"{people[1][1]}.".lower()]
    found += [DOMAINS[5], sample_id, "nobody matches this"]
    return found


def index_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


async def _sync(url: str, key: str, path: Path, rate: float) -> tuple[float, int]:
    for old in path.parent.glob(path.name + "*"):
        old.unlink()
    store = IndexStore(path)
    try:
        async with Gateway(key, base_url=url, requests_per_second=rate) as gateway:
            started = time.perf_counter()
            count = await full_sync(store, gateway, restart=True)
            return time.perf_counter() - started, count
    finally:
        store.close()


def search_latencies(path: Path, reps: int) -> tuple[list[float], dict[str, list[float]]]:
    store = IndexStore(path)
    try:
        sample = store.search("cus_", 1)[0].id
        timings: list[float] = []
        per_query: dict[str, list[float]] = {}
        for _ in range(reps):
            for query in queries(sample):
                for text in typed(query):
                    started = time.perf_counter()
                    store.search(text, 50)  # the view's first page
                    elapsed = (time.perf_counter() - started) * 1000
                    timings.append(elapsed)
                    per_query.setdefault(query, []).append(elapsed)
        return timings, per_query
    finally:
        store.close()


def measure(part: Part, count: int, sync_reps: int, search_reps: int) -> None:
    db = seeded_db(count)
    path = CACHE / f"index-{count}.sqlite3"
    label = f"{count:,}"
    with start_sandbox(db) as sandbox:
        seconds: list[float] = []
        for _ in range(sync_reps):
            took, synced = asyncio.run(_sync(sandbox.url, sandbox.api_key, path, UNPACED))
            if synced != count:
                raise RuntimeError(f"synced {synced} customers, the sandbox has {count}")
            seconds.append(took)
            print(f"  index {label}: full sync {took:.1f} s", flush=True)
        paced: float | None = None
        if count <= 10_000:
            paced, _ = asyncio.run(_sync(sandbox.url, sandbox.api_key, path, TEST_MODE_RATE))
    sync = Summary.of(seconds)
    rate = count / sync.median
    part.add(
        Row(
            what=f"{label} customers: full sync into the index (unpaced)",
            value=f"{sync.median:,.1f} s = {rate:,.0f} customers/s",
            spread=(
                f"min {sync.min:.1f} s, max {sync.max:.1f} s; "
                f"{rate / STRIPE_READ_LIMIT:.2f}x what Stripe's live read limit allows "
                f"({STRIPE_READ_LIMIT:,.0f}/s at 100 a page)"
            ),
            reps=f"{sync_reps} sync(s)",
            data={
                "customers": count,
                "rate": rate,
                "fraction_of_live_limit": rate / STRIPE_READ_LIMIT,
            }
            | sync.as_json(),
        )
    )
    if paced is not None:
        part.add(
            Row(
                what=f"{label} customers: full sync paced as the app paces a test key",
                value=f"{paced:.1f} s = {count / paced:,.0f} customers/s",
                spread=f"pacing {TEST_MODE_RATE:.0f} requests/s x {PAGE_SIZE} a page",
                reps="1 sync",
                data={"seconds": paced},
            )
        )
    size = index_bytes(path)
    part.add(
        Row(
            what=f"{label} customers: index size on disk",
            value=f"{size / 2**20:,.1f} MiB ({size / count:,.0f} bytes a customer)",
            reps="after the last sync",
            data={"bytes": size},
        )
    )
    timings, per_query = search_latencies(path, search_reps)
    search = Summary.of(timings)
    part.add(
        Row(
            what=f"{label} customers: search as you type, p50 / p95 per keystroke",
            value=f"{ms(search.median)} / {ms(search.p95)}",
            spread=latency_spread(search) + f", max {ms(search.max)}",
            reps=f"{len(timings)} keystrokes ({len(per_query)} queries x {search_reps})",
            target=f"p95 < {TARGET_P95_MS:.0f} ms" if count >= 1_000_000 else "",
            met=search.p95 < TARGET_P95_MS if count >= 1_000_000 else None,
            data={"customers": count} | search.as_json(),
        )
    )
    worst = max(per_query.items(), key=lambda item: Summary.of(item[1]).p95)
    part.raw[f"search_{count}"] = {q: Summary.of(v).as_json() for q, v in per_query.items()}
    part.raw[f"search_{count}_samples"] = timings
    part.notes.append(
        f"{label}: slowest query as typed: {worst[0]!r}, p95 {ms(Summary.of(worst[1]).p95)}."
    )


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="10k and 100k only")
    parser.add_argument("--sizes", type=int, nargs="*", default=None)
    args = parser.parse_args(argv)
    sizes = args.sizes or ([10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000])
    part = Part("index", "Customer index: full sync, size, search as you type")
    part.settings = {"sizes": ", ".join(f"{n:,}" for n in sizes), "first page": 50}
    plan: dict[int, Any] = {10_000: (3, 5), 100_000: (2, 3), 1_000_000: (1, 3)}
    for count in sizes:
        sync_reps, search_reps = plan.get(count, (1, 3))
        measure(part, count, sync_reps, search_reps)
    part.notes.append(
        "Unpaced sync shows what the console's code can do; the app paces a test-mode key at "
        f"{TEST_MODE_RATE:.0f} requests/s (a live key at {LIVE_MODE_RATE:.0f}/s), so there "
        f"a full sync of N customers takes N / {TEST_MODE_RATE * PAGE_SIZE:,.0f} seconds."
    )
    path = part.finish()
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()

"""Search-as-you-type on the customer index at scale (a benchmark, not a test).

Builds an index of N synthetic customers directly (no Stripe), then times every prefix
of realistic queries as a person types them, printing p50/p95 and the machine.

    .venv/bin/python bench/index_search.py [--customers 1000000] [--path FILE] [--keep]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from console.index.store import CustomerRow, IndexStore

FIRST = [
    "James",
    "Mary",
    "John",
    "Patricia",
    "Robert",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Zoë",
    "Søren",
    "Jürgen",
    "Ana",
    "Lucía",
    "Amélie",
    "Hiroshi",
    "Mei",
    "Olga",
    "Ivan",
    "Fatima",
    "Omar",
    "Priya",
    "Raj",
    "Chloé",
    "Noah",
    "Emma",
    "Liam",
    "Olivia",
    "Lukas",
    "Sofia",
    "Mateo",
    "Ingrid",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Perez",
    "Thompson",
    "White",
    "Müller",
    "Schmidt",
    "Rossi",
    "Dubois",
    "Nakamura",
    "Kowalski",
    "Novak",
    "Andersson",
    "Nielsen",
    "Costa",
    "Silva",
    "Yamamoto",
    "Kim",
    "Singh",
    "Patel",
]
DOMAINS = ["gmail.com", "example.com", "outlook.com", "acme.io", "firma.de", "yahoo.fr"]


def synthetic(count: int, offset: int = 0) -> list[CustomerRow]:
    rng = random.Random(offset)
    start = 1_600_000_000
    rows = []
    for i in range(offset, offset + count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append(
            CustomerRow(
                id=f"cus_{i:08d}{rng.getrandbits(24):06x}",
                name=f"{first} {last}",
                email=f"{first.lower()}.{last.lower()}{rng.randrange(1000)}@{rng.choice(DOMAINS)}",
                phone=f"+1 {rng.randrange(200, 999)} 555 {rng.randrange(10000):04d}"
                if rng.random() < 0.5
                else None,
                metadata={"crm": f"CRM-{rng.randrange(10**6)}"} if rng.random() < 0.3 else {},
                created=start + i * 30,
            )
        )
    return rows


def build(store: IndexStore, count: int) -> float:
    started = time.perf_counter()
    batch = 20_000
    for offset in range(0, count, batch):
        store.apply(synthetic(min(batch, count - offset), offset))
        print(f"\r  built {min(offset + batch, count):,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return time.perf_counter() - started


def typed(text: str) -> list[str]:
    """What the search box holds after each keystroke."""
    return [text[:n] for n in range(1, len(text) + 1)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--path", type=Path, default=None, help="reuse/keep the index here")
    parser.add_argument("--limit", type=int, default=50, help="first page size")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="index-bench-")
    path = args.path or Path(folder) / "bench.sqlite3"
    store = IndexStore(path)
    if store.count() != args.customers:
        store.clear()
        print(f"Building an index of {args.customers:,} customers in {path}", file=sys.stderr)
        seconds = build(store, args.customers)
        print(f"build: {seconds:.1f} s ({args.customers / seconds:,.0f} customers/s)")
    print(f"index file: {path.stat().st_size / 2**20:,.0f} MiB, {store.count():,} customers")

    sample = store.search("cus_0000", 1)[0]
    queries = [
        "john smith",
        "jennifer",
        "maria",
        "müller",
        "zoe",
        "nakamura",
        "olivia.patel",
        "james.brown12@gmail.com",
        "acme.io",
        "+1 415 555",
        "crm-4242",
        "sarah w",
        sample.id,
        "nobody matches this",
    ]
    timings: list[float] = []
    per_query: dict[str, list[float]] = {}
    for _ in range(3):  # warm and repeat
        for query in queries:
            for text in typed(query):
                started = time.perf_counter()
                store.search(text, args.limit)
                elapsed = (time.perf_counter() - started) * 1000
                timings.append(elapsed)
                per_query.setdefault(query, []).append(elapsed)

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"{memory:.1f} GiB, Python {platform.python_version()}, "
        f"SQLite {__import__('sqlite3').sqlite_version}"
    )
    print(f"searches: {len(timings)} keystrokes, first page of {args.limit}")
    print(
        f"all keystrokes: p50 {statistics.median(timings):.2f} ms, "
        f"p95 {percentile(timings, 0.95):.2f} ms, max {max(timings):.2f} ms"
    )
    for query, values in per_query.items():
        print(
            f"  {query!r:32} p50 {statistics.median(values):6.2f} ms  "
            f"p95 {percentile(values, 0.95):6.2f} ms  max {max(values):6.2f} ms"
        )
    store.close()


if __name__ == "__main__":
    main()

"""Benchmark results: each benchmark writes a part (JSON); the parts merge into one table.

A part says its machine and the load average before and after it ran, because on a shared
machine the figures are only as good as the quiet they were measured in.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.stats import Summary

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "artifacts" / "bench"
PARTS = OUT / "parts"
CACHE = OUT / "cache"
STAMP = "%Y-%m-%d %H:%M:%S UTC"
HEADER = ["| What | Measured | Spread | Repetitions | Target | |", "|---|---|---|---|---|---|"]


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": round(pages / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def ms(value: float) -> str:
    """A duration in milliseconds, with the digits that mean something."""
    if value >= 100:
        return f"{value:,.0f} ms"
    if value >= 10:
        return f"{value:.1f} ms"
    return f"{value:.2f} ms"


def latency_spread(summary: Summary) -> str:
    return f"IQR {summary.p25:.2f} to {summary.p75:.2f}, p99 {summary.p99:.2f} ms"


@dataclass(slots=True)
class Row:
    """One line of the table: what was measured, its headline figure and how much it varied."""

    what: str
    value: str
    spread: str = ""
    reps: str = ""
    target: str = ""
    met: bool | None = None  # None: no target
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Part:
    """One benchmark's results, written to ``artifacts/bench/parts/<name>.json``."""

    name: str
    title: str
    machine: dict[str, Any] = field(default_factory=machine)
    load_before: list[float] = field(default_factory=load_average)
    load_after: list[float] = field(default_factory=list)
    started: str = field(default_factory=lambda: time.strftime(STAMP, time.gmtime()))
    seconds: float = 0.0
    settings: dict[str, Any] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    _clock: float = field(default_factory=time.perf_counter)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def finish(self, folder: Path = PARTS) -> Path:
        self.load_after = load_average()
        self.seconds = round(time.perf_counter() - self._clock, 1)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.name}.json"
        data = asdict(self)
        data.pop("_clock")
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        return path


def read_parts(folder: Path = PARTS) -> list[dict[str, Any]]:
    order = ["api", "index", "console", "portal", "profile"]
    found = [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]
    return sorted(found, key=lambda p: order.index(p["name"]) if p["name"] in order else 99)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "MISSED")


def markdown(parts: Sequence[dict[str, Any]]) -> str:
    """The whole table: one section per benchmark, each with its machine and load."""
    lines = ["# Portal Console benchmarks", ""]
    machines = {json.dumps(p["machine"], sort_keys=True) for p in parts}
    for text in sorted(machines):
        m = json.loads(text)
        lines.append(
            f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, {m['os']}, "
            f"Python {m['python']}, SQLite {m['sqlite']}."
        )
    lines.append("")
    missed = [
        (p["title"], r["what"], r["target"]) for p in parts for r in p["rows"] if r["met"] is False
    ]
    met = sum(1 for p in parts for r in p["rows"] if r["met"] is True)
    lines.append(f"Targets: {met} met, {len(missed)} missed.")
    lines.append("")
    for part in parts:
        lines += [f"## {part['title']}", ""]
        lines.append(
            f"Run {part['started']}, {part['seconds']} s; load average (1/5/15 min) "
            f"{_load(part['load_before'])} before, {_load(part['load_after'])} after."
        )
        if part["settings"]:
            settings = ", ".join(f"{k} {v}" for k, v in part["settings"].items())
            lines.append(f"Settings: {settings}.")
        lines += ["", *HEADER]
        for row in part["rows"]:
            cells = [row["what"], row["value"], row["spread"], row["reps"], row["target"]]
            cells.append(_verdict(row["met"]))
            lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
        if part["notes"]:
            lines.append("")
            lines += [f"- {_cell(note)}" for note in part["notes"]]
        lines.append("")
    if missed:
        lines += ["## Targets missed", ""]
        lines += [f"- {title}: {what} (target {target})" for title, what, target in missed]
        lines.append("")
    return "\n".join(lines)


def _load(values: Iterable[float]) -> str:
    return "/".join(f"{v:.2f}" for v in values) or "?"


def write_summary(folder: Path = OUT) -> tuple[Path, Path]:
    """Merges every part into ``results.md`` and ``results.json``."""
    parts = read_parts(folder / "parts")
    md = folder / "results.md"
    js = folder / "results.json"
    md.write_text(markdown(parts))
    js.write_text(json.dumps({"parts": parts}, indent=1, ensure_ascii=False) + "\n")
    return md, js


if __name__ == "__main__":
    for written in write_summary():
        print(written)

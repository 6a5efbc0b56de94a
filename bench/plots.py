"""Pictures of the results where a picture says more than the table (matplotlib, Agg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.report import OUT, read_parts


def _api(part: dict[str, Any], plt: Any, folder: Path) -> Path:
    rows = [r["data"] for r in part["rows"] if "operation" in r["data"]]
    operations = list(dict.fromkeys(r["operation"] for r in rows))
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
    for axis, clients in zip(axes, sorted({r["clients"] for r in rows}), strict=False):
        chosen = {r["operation"]: r for r in rows if r["clients"] == clients}
        xs = range(len(operations))
        ours = [chosen[o]["sandbox"]["throughput"] for o in operations]
        peer = [chosen[o]["localstripe"]["throughput"] for o in operations]
        axis.bar([x - 0.2 for x in xs], ours, 0.4, label="sandbox")
        axis.bar([x + 0.2 for x in xs], peer, 0.4, label="localstripe")
        for x, (a, b) in enumerate(zip(ours, peer, strict=True)):
            axis.annotate(f"{a / b:.1f}x", (x - 0.2, a), ha="center", va="bottom", fontsize=8)
        axis.set_xticks(list(xs), [o.replace(" ", "\n", 1) for o in operations], fontsize=8)
        axis.set_title(f"{clients} client{'s' if clients > 1 else ''}")
        axis.set_yscale("log")
    axes[0].set_ylabel("calls per second (log)")
    axes[0].legend()
    figure.suptitle("Throughput through stripe 16.1.0: sandbox vs localstripe")
    figure.tight_layout()
    path = folder / "api_throughput.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def _search(part: dict[str, Any], plt: Any, folder: Path) -> Path | None:
    samples = {
        int(key.split("_")[1]): values
        for key, values in part["raw"].items()
        if key.startswith("search_") and key.endswith("_samples")
    }
    if not samples:
        return None
    figure, axis = plt.subplots(figsize=(7, 4.5))
    for count, values in sorted(samples.items()):
        ordered = sorted(values)
        fraction = [(i + 1) / len(ordered) for i in range(len(ordered))]
        axis.plot(ordered, fraction, label=f"{count:,} customers")
    axis.axvline(30, color="grey", linestyle="--", linewidth=1)
    axis.text(30, 0.05, " 30 ms target (1M)", color="grey", fontsize=8)
    axis.set_xscale("log")
    axis.set_xlabel("search time per keystroke (ms, log)")
    axis.set_ylabel("fraction of keystrokes")
    axis.set_title("Search as you type on the customer index")
    axis.legend()
    figure.tight_layout()
    path = folder / "search_latency.png"
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def write_plots(folder: Path = OUT) -> list[Path]:
    try:
        import matplotlib  # noqa: PLC0415  # installed in .venv-bench only

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415  # installed in .venv-bench only
    except ImportError:
        print("matplotlib is not installed: no plots (scripts/bench.sh installs it)")
        return []
    written: list[Path] = []
    for part in read_parts(folder / "parts"):
        if part["name"] == "api":
            written.append(_api(part, plt, folder))
        elif part["name"] == "index":
            found = _search(part, plt, folder)
            if found:
                written.append(found)
    return written


if __name__ == "__main__":
    for written in write_plots():
        print(written)

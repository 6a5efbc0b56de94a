"""The benchmarks' table: each part says its machine and load; missed targets stand out."""

from __future__ import annotations

import json
from pathlib import Path

from bench.report import Part, Row, machine, markdown, read_parts, write_summary


def _part(folder: Path, name: str, met: bool | None) -> Path:
    part = Part(name, f"Title of {name}")
    part.settings = {"calls": 10}
    part.add(
        Row(
            what="retrieve | p50",
            value="1.20 ms",
            spread="IQR 1 to 2",
            reps="10 calls",
            target="< 2 ms" if met is not None else "",
            met=met,
        )
    )
    part.notes.append("a note")
    return part.finish(folder / "parts")


def test_machine_names_cores_memory_and_versions() -> None:
    found = machine()
    assert isinstance(found["cores"], int) and found["cores"] >= 1
    assert found["memory_gib"] > 0
    assert found["python"].count(".") == 2
    assert found["sqlite"]


def test_a_part_is_written_as_json_with_its_load(tmp_path: Path) -> None:
    path = _part(tmp_path, "api", met=True)
    data = json.loads(path.read_text())
    assert data["name"] == "api"
    assert len(data["load_before"]) == 3 and len(data["load_after"]) == 3
    assert data["rows"][0]["met"] is True
    assert "_clock" not in data


def test_the_table_lists_parts_in_order_and_flags_missed_targets(tmp_path: Path) -> None:
    _part(tmp_path, "portal", met=None)
    _part(tmp_path, "api", met=False)
    parts = read_parts(tmp_path / "parts")
    assert [p["name"] for p in parts] == ["api", "portal"]
    text = markdown(parts)
    assert "Machine: " in text and " cores, " in text
    assert "Targets: 0 met, 1 missed." in text
    assert text.index("## Title of api") < text.index("## Title of portal")
    assert "| retrieve \\| p50 | 1.20 ms |" in text  # a pipe in a cell does not split it
    assert "| MISSED |" in text
    assert "## Targets missed" in text
    assert "- Title of api: retrieve | p50 (target < 2 ms)" in text
    assert "load average (1/5/15 min)" in text and "Settings: calls 10." in text


def test_summary_files_hold_every_part(tmp_path: Path) -> None:
    _part(tmp_path, "index", met=True)
    markdown_file, json_file = write_summary(tmp_path)
    assert "Targets: 1 met, 0 missed." in markdown_file.read_text()
    assert [p["name"] for p in json.loads(json_file.read_text())["parts"]] == ["index"]
    assert "## Targets missed" not in markdown_file.read_text()

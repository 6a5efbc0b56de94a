"""The release workflow builds on the three systems with the recipes that exist in build_spec/.

Read as text (the project has no YAML library): the checks are on what a reviewer would look
for, not on a full parse.
"""

from __future__ import annotations

import re

from tests.packaging.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"


def _jobs(text: str) -> dict[str, str]:
    """Each job's block of lines, by job name (two-space indented keys under ``jobs:``)."""
    body = text.split("\njobs:\n", 1)[1]
    parts = re.split(r"^  ([a-z]+):\n", body, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_the_workflow_builds_installs_and_self_tests_on_three_systems() -> None:
    text = WORKFLOW.read_text("utf-8")
    jobs = _jobs(text)
    assert set(jobs) == {"linux", "macos", "windows", "publish"}
    for name, system in (("linux", "ubuntu-"), ("macos", "macos-"), ("windows", "windows-")):
        assert f"runs-on: {system}" in jobs[name]
        assert "--self-test" in jobs[name], f"{name} does not self-test what it built"
        assert "actions/upload-artifact" in jobs[name]
    assert "needs: [linux, macos, windows]" in jobs["publish"]
    assert "if: startsWith(github.ref, 'refs/tags/v')" in jobs["publish"]
    assert 'tags: ["v*"]' in text
    assert 'build_spec/project_info.py)" = "$GITHUB_REF_NAME"' in jobs["linux"]


def test_every_recipe_the_workflow_names_exists() -> None:
    text = WORKFLOW.read_text("utf-8")
    named = set(re.findall(r"(?:build_spec|scripts)/[\w.-]+\.(?:sh|ps1|py)", text))
    assert named >= {
        "build_spec/build_linux.sh",
        "build_spec/build_macos.sh",
        "build_spec/build_windows.ps1",
        "scripts/with_keyring.sh",
    }
    assert [path for path in named if not (ROOT / path).is_file()] == []
    assert (ROOT / "build_spec" / "portal-console.iss").is_file()
    assert (ROOT / "build_spec" / "portal-console.spec").is_file()

"""GitHub Pages 工作流（.github/workflows/pages.yml）：先跑 README 的测试命令，再构建并发布站点。

结构检查总会运行；工作流的 schema 检查（check-jsonschema 自带的 GitHub 工作流 schema，离线可用）
在装了 check-jsonschema 时运行，并先确认它对一个坏掉的副本确实报错。
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def _index(steps: list[dict], predicate) -> int:
    found = [i for i, step in enumerate(steps) if predicate(step)]
    assert found, "找不到需要的步骤"
    return found[0]


def test_build_job_runs_the_readme_test_command_before_building() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in readme  # README 的测试命令
    steps = _steps(_workflow()["jobs"]["build"])
    test = _index(steps, lambda s: s.get("run", "").strip() == "bash scripts/test.sh")
    build = _index(steps, lambda s: "mkdocs build --strict" in s.get("run", ""))
    upload = _index(steps, lambda s: s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert test < build < upload
    site_dir = re.search(r"--site-dir\s+(\S+)", steps[build]["run"]).group(1)
    assert steps[upload]["with"]["path"] == site_dir


def test_build_job_installs_the_same_debian_packages_as_ci() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    line = re.search(r"apt-get install\b(.*)$", ci, re.MULTILINE).group(1)
    wanted = {word for word in line.split() if not word.startswith("-")}
    assert "chromium" in wanted
    job = _workflow()["jobs"]["build"]
    assert "bookworm" in job["container"]["image"] or "debian" in job["container"]["image"]
    installs = " ".join(s.get("run", "") for s in _steps(job))
    assert wanted <= set(re.findall(r"[a-z0-9][a-z0-9.+-]*", installs)), wanted


def test_deploy_job_publishes_with_the_official_action() -> None:
    workflow = _workflow()
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert any(s.get("uses", "").startswith("actions/deploy-pages@") for s in _steps(deploy))
    # 触发：推送到 main（yaml 把 on: 读成 True）
    assert workflow[True]["push"]["branches"] == ["main"]


def _lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.skipif(shutil.which("check-jsonschema") is None, reason="没有安装 check-jsonschema")
def test_workflow_passes_the_schema_linter(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:"), encoding="utf-8")
    assert _lint(broken).returncode != 0, "linter 没有发现坏掉的副本：它真的在检查吗？"
    result = _lint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr

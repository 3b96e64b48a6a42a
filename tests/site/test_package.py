"""安装好的包自己就能验证：从仓库构建 wheel，装到一个临时目录里（不带仓库），`python -m dlguide` 运行全部 docstring 示例。"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_installed_package_runs_its_own_doctests(tmp_path: Path) -> None:
    wheels, target = tmp_path / "wheels", tmp_path / "site-packages"
    build_dir_existed = (ROOT / "build").exists()
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(ROOT)], check=True)
    if not build_dir_existed:  # setuptools 在源码目录里留下的 build/，不是我们的
        shutil.rmtree(ROOT / "build", ignore_errors=True)
    (wheel,) = wheels.glob("dlguide-*.whl")
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], check=True)
    result = subprocess.run(
        [sys.executable, "-m", "dlguide"],
        cwd=tmp_path,  # 不在仓库里：导入的是装好的包
        env={**os.environ, "PYTHONPATH": str(target), "DLGUIDE_DEVICE": "cpu"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "，0 个失败" in result.stdout
    assert str(target) in subprocess.run(
        [sys.executable, "-c", "import dlguide; print(dlguide.__file__)"],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(target)}, capture_output=True, text=True, check=True,
    ).stdout

#!/usr/bin/env bash
# GPU 上的一次完整运行：每个页面和 docstring 里的 >>> 示例（DLGUIDE_DEVICE=cuda python -m pytest dlguide docs -q）
# 和训练速度基准（python -m dlguide.pages.optimization.training_speed），结果写成 Markdown 表：设了 $OUT 时写到 $OUT/gpu-results.md，
# 否则写到 benchmarks/results/gpu-<时间>.md（该目录被 git 忽略）。工作由 scripts/gpu_run.py 完成。
#
# 设备机（Python 3.12 的 /opt/torch/.venv，CUDA 版 torch，已有 pytest、pytest-xdist、scikit-learn、matplotlib；
# 没有 Sybil，不联网）上的用法：
#
#   1. 在能访问软件包仓库的开发机上，仓库根目录里运行一次（下载 Sybil 的纯 Python 轮子到 .whl/，该目录被 git 忽略）：
#        bash scripts/gpu.sh --fetch-wheels
#   2. 把工作树连同 .whl/ 带到设备机（本项目的 device 工具：run(command="bash scripts/gpu.sh --jobs 8", carry=[".whl"])），
#      在仓库根目录运行：
#        bash scripts/gpu.sh --jobs 8
#      脚本先从 .whl/ 离线安装缺少的轮子（--target 到临时目录，不改动设备机的环境），然后运行。
#
# 其他参数传给 scripts/gpu_run.py：--allow-cpu（没有 CUDA 也运行，只用于试这个脚本）、--skip-bench、
# --jobs N（pytest-xdist 进程数）、-k 表达式、--output 文件。没有 CUDA 且没有 --allow-cpu 时以状态 3 退出。
# 在 CPU 上试运行：DLGUIDE_DEVICE=cpu bash scripts/gpu.sh --allow-cpu
set -euo pipefail
cd "$(dirname "$0")/.."

# Python：$PYTHON，否则设备机的 /opt/torch/.venv，否则本仓库的 .venv，否则 python3。
if [ -z "${PYTHON:-}" ]; then
  for candidate in /opt/torch/.venv/bin/python .venv/bin/python; do
    if [ -x "$candidate" ]; then PYTHON="$candidate"; break; fi
  done
fi
PYTHON="${PYTHON:-python3}"
WHEELS=.whl

if [ "${1:-}" = "--fetch-wheels" ]; then
  # 设备机缺的纯 Python 包（版本取自 constraints.txt）：Sybil 本身没有必需的依赖。
  mkdir -p "$WHEELS"
  "$PYTHON" -m pip download --quiet --no-deps --only-binary=:all: -d "$WHEELS" "$(grep -E '^sybil==' constraints.txt)"
  ls -l "$WHEELS"
  exit 0
fi

if ! "$PYTHON" -c 'import sybil' 2>/dev/null; then
  if ! ls "$WHEELS"/sybil-*.whl >/dev/null 2>&1; then
    echo "[gpu] $PYTHON 里没有 Sybil，$WHEELS/ 里也没有它的轮子：先在开发机上运行 bash scripts/gpu.sh --fetch-wheels" >&2
    exit 4
  fi
  site="$(mktemp -d /tmp/dlguide-gpu-site.XXXXXX)"
  "$PYTHON" -m pip install --quiet --no-index --no-deps --no-compile --target "$site" "$WHEELS"/*.whl
  export PYTHONPATH="$site${PYTHONPATH:+:$PYTHONPATH}"
fi

exec "$PYTHON" scripts/gpu_run.py "$@"

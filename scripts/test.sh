#!/usr/bin/env bash
# 一条命令：安装依赖并运行全部测试——单元测试、docstring 和每个页面的 doctest、站点构建、浏览器测试。
# 额外参数传给 pytest，例如：bash scripts/test.sh -k sigmoid
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -n "${VIRTUAL_ENV:-}" ] || source .venv/bin/activate
export NO_MKDOCS_2_WARNING=1
# 默认按 CPU 核数并行（pytest-xdist；同一页面的示例留在同一进程，见 conftest.py）。
# 自己给了 -n/--numprocesses/--dist，或用 -p no:xdist 关掉插件时，不再添加。
parallel=(-n auto)
for arg in "$@"; do
  case "$arg" in
    -n|-n*|--numprocesses*|--dist*|no:xdist) parallel=() ;;
  esac
done
exec python -m pytest "${parallel[@]}" "$@"

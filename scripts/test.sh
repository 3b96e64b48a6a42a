#!/usr/bin/env bash
# 一条命令：安装依赖并运行全部测试——单元测试、docstring 和每个页面的 doctest、站点构建、浏览器测试。
# 额外参数传给 pytest，例如：bash scripts/test.sh -k sigmoid
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -n "${VIRTUAL_ENV:-}" ] || source .venv/bin/activate
export NO_MKDOCS_2_WARNING=1
exec python -m pytest "$@"

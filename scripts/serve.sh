#!/usr/bin/env bash
# 一条命令：安装依赖并在 http://127.0.0.1:8000 提供站点（改动页面或 dlguide 代码会自动重建）。
# 换端口：bash scripts/serve.sh --dev-addr 127.0.0.1:8001；其余参数原样传给 mkdocs serve。
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -n "${VIRTUAL_ENV:-}" ] || source .venv/bin/activate
export NO_MKDOCS_2_WARNING=1
exec python scripts/serve.py "$@"

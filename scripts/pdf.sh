#!/usr/bin/env bash
# 一条命令：安装依赖，构建站点并用无头 Chromium 把全书打印成一个 PDF（默认 dist/dlguide.pdf），然后检查它。
# 需要系统里的 Chromium 和中文字体（Debian：apt-get install chromium fonts-noto-cjk）；从不下载浏览器。
# 额外参数传给 scripts/build_pdf.py，例如：bash scripts/pdf.sh -o /tmp/dlguide.pdf
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -n "${VIRTUAL_ENV:-}" ] || source .venv/bin/activate
export NO_MKDOCS_2_WARNING=1
exec python scripts/build_pdf.py "$@"

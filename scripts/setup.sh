#!/usr/bin/env bash
# 建好 .venv 并安装 dlguide 及其文档、测试依赖（版本由 constraints.txt 固定）。可以重复运行。
# 被 scripts/serve.sh 和 scripts/test.sh 调用；已激活的虚拟环境会被直接使用。
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ -z "${VIRTUAL_ENV:-}" ]; then
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
      || { echo "需要 Python 3.11 或更新版本（当前：$("$PYTHON" --version)）" >&2; exit 1; }
    "$PYTHON" -m venv .venv
  fi
  # shellcheck disable=SC1091
  source .venv/bin/activate
fi

stamp=".venv/.dlguide-installed"
want="$(python -c 'import hashlib, pathlib; print(hashlib.sha256(b"".join(pathlib.Path(f).read_bytes() for f in ("constraints.txt", "pyproject.toml"))).hexdigest())')"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && python -c 'import dlguide, mkdocs, sybil' 2>/dev/null; then
  exit 0
fi
python -m pip install --quiet --upgrade pip
# 先装 torch：固定版本能复用本机已有的构建，避免被其他依赖拉来一个新的大包。
python -m pip install --quiet "$(grep -E '^torch==' constraints.txt)"
python -m pip install --quiet -c constraints.txt -e ".[test]"
echo "$want" > "$stamp"

#!/usr/bin/env bash
# 建好 .venv 并安装 dlguide 及其文档、测试依赖（版本由 constraints.txt 固定）。可以重复运行：装好以后直接跳过。
# 被 scripts/serve.sh 和 scripts/test.sh 调用；已激活的虚拟环境（$VIRTUAL_ENV）会被直接使用。
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ -z "${VIRTUAL_ENV:-}" ]; then
  if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
      || { echo "需要 Python 3.11 或更新版本（当前：$("$PYTHON" --version)）" >&2; exit 1; }
    echo "==> 新建虚拟环境 .venv"
    "$PYTHON" -m venv .venv
  fi
  # shellcheck disable=SC1091
  source .venv/bin/activate
fi

# 安装记录放在正在使用的环境里（.venv 或已激活的那个），依赖文件变了就重装。
stamp="$(python -c 'import sys; print(sys.prefix)')/.dlguide-installed"
want="$(python -c 'import hashlib, pathlib; print(hashlib.sha256(b"".join(pathlib.Path(f).read_bytes() for f in ("constraints.txt", "pyproject.toml"))).hexdigest())')"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && python -c 'import dlguide, mkdocs, sybil' 2>/dev/null; then
  exit 0
fi
echo "==> 第一次安装依赖（约 1 分钟；之后再运行会跳过这一步）"
echo "==> [1/3] 升级 pip"
python -m pip install --quiet --upgrade pip
# 先装 torch：固定版本能复用本机已有的构建，避免被其他依赖拉来一个新的大包。
echo "==> [2/3] 安装 $(grep -E '^torch==' constraints.txt)"
python -m pip install --quiet "$(grep -E '^torch==' constraints.txt)"
echo "==> [3/3] 安装 dlguide 和文档、测试依赖（constraints.txt）"
python -m pip install --quiet -c constraints.txt -e ".[test]"
echo "$want" > "$stamp"
echo "==> 安装完成"

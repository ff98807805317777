#!/bin/bash
# Type-check core and every app's actions (strict, see [tool.mypy] in pyproject.toml). The cache lives under
# ./var (MINSHENG_MYPY_CACHE elsewhere), so a second run checks only what changed: keep it between CI runs.
set -euo pipefail
BIN=${1:-.venv/bin}
cd "$(dirname "$0")/.."
cache="${MINSHENG_MYPY_CACHE:-var/mypy-cache}"
targets=(minsheng/core)
for f in minsheng/*/actions.py minsheng/*/actions; do
  [ -e "$f" ] && targets+=("$f")
done
MINSHENG_VAR_DIR=${MINSHENG_VAR_DIR:-$(mktemp -d)} "$BIN/mypy" --cache-dir "$cache" "${targets[@]}"

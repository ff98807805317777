#!/usr/bin/env bash
# Runs the suite against PostgreSQL. In CI the server must be there; elsewhere a missing server skips this pass.
set -euo pipefail
BIN=${1:-.venv/bin}
URL=${MINSHENG_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/minsheng}
if ! "$BIN/python" - "$URL" <<'PY'
import sys, psycopg
url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
try:
    psycopg.connect(url, connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
PY
then
  if [ "${CI:-}" = "true" ]; then
    echo "CI requires PostgreSQL at $URL" >&2
    exit 1
  fi
  echo "skipping the PostgreSQL pass (no server)"
  exit 0
fi
echo "== suite on PostgreSQL =="
DATABASE_URL="$URL" MINSHENG_VAR_DIR=$(mktemp -d) "$BIN/pytest" -q -m "not browser and not fuzz"

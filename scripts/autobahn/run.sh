#!/usr/bin/env bash
# Run the Autobahn|Testsuite fuzzing client (cases 1.* to 10.*) against
# examples/ws_echo.py and fail on any case that is not OK.
#
# Idempotent: the Python 2.7 environment for the suite lives under
# ${AUTOBAHN_CACHE:-<repo>/.build/autobahn} and is built only once.
#
# Facts this relies on (checked on the project's machine image):
# - PyPI's autobahntestsuite (25.10.1) is Python 2.7 only;
# - pyenv carries CPython 2.7.18 at $(pyenv root)/versions/2.7.*;
# - virtualenv < 20.22 (run from a Python 3 venv) can still create 2.7 envs.
#
# Usage: scripts/autobahn/run.sh [CASES]   (CASES defaults to "1.*,...,10.*")
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${AUTOBAHN_CACHE:-$repo/.build/autobahn}"
python3="${PYTHON:-$repo/.venv/bin/python}"
[ -x "$python3" ] || python3="$(command -v python3)"
mkdir -p "$cache"
start_ts=$(date +%s)

# 1. Find CPython 2.7.
py27="${PY27:-}"
if [ -z "$py27" ]; then
  pyenv_root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
  for cand in "$pyenv_root"/versions/2.7.*/bin/python2.7; do
    [ -x "$cand" ] && py27="$cand"
  done
fi
if [ -z "$py27" ] || [ ! -x "$py27" ]; then
  echo "autobahn: no CPython 2.7 found (set PY27=/path/to/python2.7)" >&2
  exit 2
fi

# 2. A Python 3 venv holding an old virtualenv, which can still make 2.7 envs;
# 3. the 2.7 env with the suite. Output goes to a log, shown on failure.
setup_log="$cache/setup.log"
setup() {
  if [ ! -x "$cache/venv-tools/bin/virtualenv" ]; then
    rm -rf "$cache/venv-tools"
    "$python3" -m venv "$cache/venv-tools"
    "$cache/venv-tools/bin/pip" install -q "virtualenv<20.22"
  fi
  if [ ! -x "$cache/py27/bin/wstest" ]; then
    rm -rf "$cache/py27"
    "$cache/venv-tools/bin/virtualenv" -q -p "$py27" "$cache/py27"
    "$cache/py27/bin/pip" install -q autobahntestsuite
  fi
}
if ! setup >"$setup_log" 2>&1; then
  echo "autobahn: setting up the suite failed:" >&2
  tail -n 30 "$setup_log" >&2
  exit 2
fi

# 4. Start the echo server on a free port.
port="$("$python3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$python3" "$repo/examples/ws_echo.py" --port "$port" >"$cache/server.log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
up=""
for _ in $(seq 1 100); do
  if "$python3" -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null; then
    up=1
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$up" ]; then
  echo "autobahn: the echo server did not start:" >&2
  cat "$cache/server.log" >&2
  exit 2
fi

# 5. Run the fuzzing client.
cases="${1:-1.*,2.*,3.*,4.*,5.*,6.*,7.*,8.*,9.*,10.*}"
cases_json="$("$python3" -c 'import json,sys; print(json.dumps(sys.argv[1].split(",")))' "$cases")"
reports="$cache/reports"
rm -rf "$reports"
mkdir -p "$reports"
cat >"$cache/spec.json" <<JSON
{
  "outdir": "$reports",
  "servers": [{"agent": "aiohttp-websocket", "url": "ws://127.0.0.1:$port"}],
  "cases": $cases_json,
  "exclude-cases": [],
  "exclude-agent-cases": {}
}
JSON
(cd "$cache" && "$cache/py27/bin/wstest" -m fuzzingclient -s "$cache/spec.json") \
  >"$cache/wstest.log" 2>&1 || {
  echo "autobahn: wstest failed, see $cache/wstest.log" >&2
  tail -n 30 "$cache/wstest.log" >&2
  exit 1
}

# 6. Judge the report.
elapsed=$(( $(date +%s) - start_ts ))
"$python3" "$here/check_report.py" "$reports/index.json" --elapsed "$elapsed"

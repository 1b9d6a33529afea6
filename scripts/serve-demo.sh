#!/usr/bin/env bash
# Sets up, builds and starts danhmuc on the embedded store in ./data with the demo catalogue:
# http://127.0.0.1:8080/ (override with DANHMUC_BIND / DANHMUC_BASE_URL / DANHMUC_DATA).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/danhmuc-target}"
exec "$CARGO_TARGET_DIR/release/danhmuc" serve --demo "$@"

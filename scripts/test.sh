#!/usr/bin/env bash
# Sets up (clang, the third-party client tools the tests drive) and runs every test, in release mode
# so that RocksDB is compiled once for the server and the tests alike.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
tests/clients/setup.sh
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/danhmuc-target}"
cargo test --release --locked "$@"

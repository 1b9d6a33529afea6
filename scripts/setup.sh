#!/usr/bin/env bash
# Installs what building danhmuc needs on a fresh Debian/Ubuntu machine (clang for RocksDB's bindings,
# a C++ compiler) and builds the release binary. Idempotent: does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v clang >/dev/null 2>&1 || need+=(clang)
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v python3 >/dev/null 2>&1 || need+=(python3 python3-venv)
# The portal's real-browser tests (tests/it/browser.rs): headless Chromium over WebDriver.
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]} (apt)" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing; install Rust (https://rustup.rs) first" >&2
  exit 1
fi

# Keep the build outside the clone so RocksDB (15 minutes of C++ on 2 cores) is compiled once.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/danhmuc-target}"
if [ ! -x "$CARGO_TARGET_DIR/release/danhmuc" ]; then
  echo "setup: first build; RocksDB compiles from C++ source, about 15 minutes on 2 cores" >&2
fi
# Built through the test build: it also builds the `danhmuc` binary, with the same dependency features
# as the tests (a plain `cargo build` unifies features differently and would compile RocksDB twice).
cargo test --release --locked --no-run

#!/usr/bin/env bash
# Build pgrex and pgrex-lab, bring up the practice PG-REX cluster, and show it.
# Usage: bash lab/try-it.sh [--profile seed|pgrex17]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
  echo "error: the lab creates network namespaces and mounts: run as root" >&2
  exit 2
fi
if ! command -v cargo >/dev/null; then
  echo "error: cargo is not installed; install a Rust toolchain (1.88 or newer) first" >&2
  exit 2
fi
export DEBIAN_FRONTEND=noninteractive
if ! dpkg -s pkg-config libssl-dev libssh2-1-dev >/dev/null 2>&1; then
  apt-get update -q && apt-get install -y -q --no-install-recommends pkg-config libssl-dev libssh2-1-dev
fi
cargo build --release --workspace --locked
target/release/pgrex-lab up "$@"
cat <<'TXT'

The practice cluster is up. Next:
  target/release/pgrex-lab shell pm01              # a shell on pm01; run: pgrex status
  target/release/pgrex-lab inject pgsql-failure    # break the primary's PostgreSQL
  target/release/pgrex-lab exec pm02 -- pgrex status
  target/release/pgrex-lab down                    # remove everything the lab created
TXT

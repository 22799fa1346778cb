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
lab=target/release/pgrex-lab
"$lab" up "$@"

# pgrex at work: break the replication VIP on the primary, let pgrex name the fault, clear it.
healthy() { "$lab" exec pm01 -- pgrex status --output-format json >/dev/null 2>&1; }
echo
echo "== pgrex-lab inject vip-rep-failure   (the replication VIP vanishes from the primary pm01)"
"$lab" inject vip-rep-failure
for _ in $(seq 60); do
  healthy || break
  sleep 1
done
echo
echo "== pgrex diagnose   (on pm01)"
"$lab" exec pm01 -- pgrex diagnose || true
echo
echo "== pgrex cleanup --yes   (on pm01: the cause is gone, Pacemaker restarted the VIP in place)"
"$lab" exec pm01 -- pgrex cleanup --yes || true
echo
echo "== pgrex status   (on pm01)"
"$lab" exec pm01 -- pgrex status || true
cat <<'TXT'

The practice cluster is up. Next:
  target/release/pgrex-lab shell pm01              # a shell on pm01; run: pgrex status
  target/release/pgrex-lab inject pgsql-failure    # break the primary's PostgreSQL
  target/release/pgrex-lab exec pm02 -- pgrex diagnose
  target/release/pgrex-lab down                    # remove everything the lab created
See commands/lab.md for every fault you can inject, and commands/*.md for each pgrex command.
TXT

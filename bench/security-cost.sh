#!/usr/bin/env bash
# The cost of TLS and authentication on a single node (docs/performance.md): the same node and the same
# `sibyl stress` runs in four modes — plain, HTTPS, PasswordAuthenticator + CassandraAuthorizer over plain
# HTTP, and both — each on a fresh data dir: ingest, then point reads of 100,000 loaded keys.
# Prints each run's stress summary (JSON), the node's CPU seconds and the load average.
# Usage: bench/security-cost.sh   (ports 8080/7000/9042; DURATION, WARMUP in seconds; MODES="plain tls ...")
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
OUT=$PWD/target/security-cost
rm -rf "$OUT"; mkdir -p "$OUT"
./sibyl --version >/dev/null
./sibyl gen-certs --out "$OUT/certs" --nodes 1 >/dev/null
HZ=$(getconf CLK_TCK)
export SIBYL_SUPERUSER_PASSWORD=bench-secret

conf() { # mode -> config file
  local f="$OUT/$1.conf"
  : > "$f"
  case $1 in *tls*)
    cat >> "$f" <<CONF
sibyl.tls.cert_file = "$OUT/certs/node1.pem"
sibyl.tls.key_file = "$OUT/certs/node1-key.pem"
sibyl.tls.ca_file = "$OUT/certs/ca.pem"
sibyl.http.tls.enabled = on
CONF
  esac
  case $1 in *auth*)
    cat >> "$f" <<CONF
sibyl.auth.authenticator = PasswordAuthenticator
sibyl.auth.authorizer = CassandraAuthorizer
CONF
  esac
  echo "$f"
}

for mode in ${MODES:-plain tls auth tls-auth}; do
  cfg=$(conf $mode)
  scheme=http; extra=()
  case $mode in *tls*) scheme=https; extra+=(--cacert "$OUT/certs/ca.pem");; esac
  case $mode in *auth*) extra+=(--user sibyl --password "$SIBYL_SUPERUSER_PASSWORD");; esac
  ./sibyl start --config "$cfg" --data-dir "$OUT/$mode-data" > "$OUT/$mode.log" 2>&1 &
  node=$!
  until curl -sfk "$scheme://127.0.0.1:8080/ready" >/dev/null; do sleep 0.1; done
  pid=$(pgrep -f "sibyl.jar start --config $cfg" | head -1)
  for w in ingest read; do
    args=(--workload $w --duration ${DURATION}s --warmup ${WARMUP}s --concurrency 64)
    [ $w = read ] && args+=(--keyspace readks --keys 100000 --load)
    c0=$(awk '{print $14+$15}' /proc/$pid/stat)
    res=$(./sibyl stress --target "$scheme://127.0.0.1:8080" "${extra[@]}" "${args[@]}" --json 2>&1 | tail -1)
    c1=$(awk '{print $14+$15}' /proc/$pid/stat)
    echo "== $mode $w: $res"
    echo "   server_cpu_s $(( (c1-c0)/HZ )) load $(cut -d' ' -f1-3 /proc/loadavg)"
  done
  kill $node; wait $node 2>/dev/null || true
done

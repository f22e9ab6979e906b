#!/usr/bin/env bash
# Single-node figures of docs/performance.md: a fresh node (./sibyl start, group commit), then
# every workload one after the other (64 in flight over 8 pipelined connections, stress's default); per workload the stress summary (JSON), the node's CPU seconds,
# RSS (now and peak) and the load average. Usage: bench/single-node.sh   (uses ports 8080/7000)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=target/single-node-bench
rm -rf "$DATA"; mkdir -p "$DATA"
./sibyl --version >/dev/null                       # builds the jar if needed
t0=$(date +%s%N)
./sibyl start --data-dir "$DATA/data" > "$DATA/node.log" 2>&1 &
NODE=$!
trap 'kill $NODE 2>/dev/null; wait $NODE 2>/dev/null || true' EXIT
until curl -sf localhost:8080/ready >/dev/null; do sleep 0.05; done
t1=$(date +%s%N)
echo "start_to_ready_ms $(( (t1-t0)/1000000 ))"
pid=$(pgrep -f "sibyl.jar start --data-dir $DATA/data" | head -1)
CLK=$(getconf CLK_TCK)
run() {
  local name=$1; shift
  local c0 c1 out
  c0=$(awk '{print $14+$15}' /proc/$pid/stat)
  out=$(./sibyl stress "$@" --json 2>&1)
  c1=$(awk '{print $14+$15}' /proc/$pid/stat)
  echo "== $name: $*"
  echo "$out" | tail -1
  echo "server_cpu_s $(( (c1-c0)/CLK )) rss_mb $(( $(awk '/VmRSS/{print $2}' /proc/$pid/status)/1024 ))" \
       "rss_peak_mb $(( $(awk '/VmHWM/{print $2}' /proc/$pid/status)/1024 )) load $(cut -d' ' -f1-3 /proc/loadavg)"
}
run ingest --workload ingest --duration 30s --warmup 10s --concurrency 64
run ingest-batch100 --workload ingest --batch 100 --duration 20s --warmup 5s --concurrency 16
# read/mixed: a keyspace of their own, so the table holds the 300,000 loaded rows only (the ingest runs above
# wrote the same key numbers into stress.usertable, and a read would then merge several SSTables per key);
# 30 s of warm-up, since the read path only gets hot (C2) once reads start, while the CPU is saturated
run read --workload read --keyspace readks --keys 300000 --load --duration 30s --warmup 30s --concurrency 64
run mixed --workload mixed --keyspace readks --keys 300000 --duration 30s --warmup 30s --concurrency 64
run timeseries --workload timeseries --duration 30s --warmup 10s --concurrency 64

#!/usr/bin/env bash
# How evenly a 3-node RF 3 QUORUM cluster spreads its work (docs/performance.md, "Read spread"): each node's
# share of the requests it coordinated, the mutations its storage applied and the reads its storage served
# (data and digest), with its deviation from the mean, for writes (ingest) and reads, over HTTP and/or
# the CQL native protocol. Counts, not rates: short runs at low concurrency are enough, whatever the load.
#   bench/cluster-shares.sh [seconds] [concurrency] [protocols]     e.g. bench/cluster-shares.sh 15 16 "http cql"
# Ports: HTTP_BASE (8480), CLUSTER_BASE (7400), CQL_BASE (9442), node i gets base + i.
# Exits 1 when a share is off the mean by more than MAX_DEV percent (default: never, MAX_DEV unset).
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONC=${2:-16}
PROTOS=${3:-http cql}
NODES=3
HTTP_BASE=${HTTP_BASE:-8480}
CLUSTER_BASE=${CLUSTER_BASE:-7400}
CQL_BASE=${CQL_BASE:-9442}
OUT=target/cluster-shares
DATA=$OUT/data
rm -rf "$DATA"; mkdir -p "$OUT"
./sibyl --version >/dev/null            # builds the jar if needed

./sibyl local-cluster --nodes $NODES --data-dir "$DATA" --base-http-port "$HTTP_BASE" \
    --base-cluster-port "$CLUSTER_BASE" --base-cql-port "$CQL_BASE" > "$OUT/local-cluster.log" 2>&1 &
LC=$!
trap 'kill $LC 2>/dev/null; wait $LC 2>/dev/null || true' EXIT
for i in $(seq 0 $((NODES-1))); do
  for _ in $(seq 1 180); do
    curl -sf "http://127.0.0.1:$((HTTP_BASE+i))/ready" >/dev/null 2>&1 && break
    kill -0 $LC 2>/dev/null || { echo "local-cluster exited:"; tail -20 "$OUT/local-cluster.log"; exit 1; }
    sleep 1
  done
done
HTTP_TARGETS=$(for i in $(seq 0 $((NODES-1))); do printf "http://127.0.0.1:%d," $((HTTP_BASE+i)); done)
CQL_TARGETS=$(for i in $(seq 0 $((NODES-1))); do printf "cql://127.0.0.1:%d," $((CQL_BASE+i)); done)
HTTP_TARGETS=${HTTP_TARGETS%,}; CQL_TARGETS=${CQL_TARGETS%,}

metric() {  # sum of a Prometheus counter family (with the given label filter) on node i
  curl -s "http://127.0.0.1:$((HTTP_BASE+$1))/metrics" \
    | awk -v m="$2" -v f="${3:-}" 'index($1, m)==1 && $1 !~ /^#/ && index($1, f) {s+=$2} END {printf "%.0f", s}'
}
snapshot() {  # node coordinated_reads coordinated_writes mutations local_reads
  for i in $(seq 0 $((NODES-1))); do
    echo "$i $(metric $i sibyl_coordinator_requests_seconds_count 'kind="read"') \
$(metric $i sibyl_coordinator_requests_seconds_count 'kind="write"') \
$(metric $i sibyl_write_latency_seconds_count) $(metric $i sibyl_read_latency_seconds_count)"
  done
}
WORST=0
# share table: one line per node with the count, its share and its deviation from the mean
shares() {  # title, then "count" lines on stdin
  awk -v title="$1" '{c[NR]=$1; s+=$1} END {
      m = s / NR; printf "  %-22s", title
      for (i = 1; i <= NR; i++) { d = m ? 100 * (c[i] - m) / m : 0; printf "  node%d %7d (%4.1f%%, %+5.1f%%)", i-1, c[i], s ? 100*c[i]/s : 0, d
        if (d < 0) d = -d; if (d > w) w = d }
      printf "   max |dev| %4.1f%%\n", w }'
}
run() {  # proto workload targets
  local before after stats
  before=$(snapshot)
  if ! ./sibyl stress --target "$3" --workload "$2" --duration "${DURATION}s" --warmup 3s --concurrency "$CONC" \
      --rf 3 --consistency QUORUM --keys 20000 --keyspace shares --json > "$OUT/$1-$2.out" 2>&1; then
    echo "stress $1 $2 failed:"; tail -20 "$OUT/$1-$2.out"; exit 1
  fi
  sleep 2     # the writes to the replicas beyond the quorum may still be in flight when stress returns
  after=$(snapshot)
  echo "== $1 $2: $(tail -1 "$OUT/$1-$2.out" | cut -c1-160)"
  diffs=$(paste <(echo "$before") <(echo "$after") | awk '{print $7-$2, $8-$3, $9-$4, $10-$5}')
  local col title w line
  for col in 1 2 3 4; do
    case $col in 1) title="coordinated reads";; 2) title="coordinated writes";; 3) title="mutations applied";; 4) title="local reads (data+digest)";; esac
    if [ "$(echo "$diffs" | awk -v c=$col '{s+=$c} END {print s+0}')" -lt 100 ]; then continue; fi   # not this workload's work
    line=$(echo "$diffs" | awk -v c=$col '{print $c}' | shares "$title"); echo "$line"
    w=$(echo "$line" | awk '{print $(NF)}' | tr -d '%')
    WORST=$(awk -v a="$WORST" -v b="$w" 'BEGIN {print (b > a) ? b : a}')
  done
}
# 20,000 keys loaded and flushed outside the measurement (read workloads read them)
# (retried: on a saturated machine the nodes' first writes can time out while the cluster settles)
for attempt in 1 2 3; do
  ./sibyl stress --target "$HTTP_TARGETS" --workload read --load --keys 20000 --keyspace shares --rf 3 \
      --consistency QUORUM --duration 1s --warmup 0s --concurrency 8 > "$OUT/load.out" 2>&1 && break
  [ $attempt = 3 ] && { tail -20 "$OUT/load.out"; exit 1; }
  echo "loading failed (attempt $attempt), retrying in 10 s: $(tail -1 "$OUT/load.out")"; sleep 10
done
for p in $PROTOS; do
  case $p in http) T=$HTTP_TARGETS;; cql) T=$CQL_TARGETS;; *) echo "unknown protocol $p"; exit 2;; esac
  run "$p" ingest "$T"
  run "$p" read "$T"
done
echo "worst deviation from the mean: ${WORST}%   (load average $(cut -d' ' -f1-3 /proc/loadavg))"
if [ -n "${MAX_DEV:-}" ] && awk -v w="$WORST" -v m="$MAX_DEV" 'BEGIN {exit !(w > m)}'; then exit 1; fi

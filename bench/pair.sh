#!/usr/bin/env bash
# Paired A/B benchmark (docs/performance.md, method): two nodes side by side (ports 18180/18181), each given the same load AT THE
# SAME TIME, so both share the machine's noise; prints ops/s, latency and server CPU-µs per op per side.
# A jar dir (absolute path) is a copy of app/target with sibyl.jar and lib/ (cp -r app/target/sibyl.jar app/target/lib DIR).
# Usage: [A_OPTS="jvm opts"] [B_OPTS=...] [A_CONF=node.conf] [B_CONF=...] bench/pair.sh JARDIR_A JARDIR_B LABEL -- STRESS_ARGS...
#   e.g. bench/pair.sh /tmp/a /tmp/b ingest -- --workload ingest --pipeline 8
#   For read/mixed, add --keys N: each side is first loaded with N flushed keys (--load --batch 100).
# The measured window is 30 s after a 10 s warm-up; the stress client is A's jar for both sides.
# JFR=1 records both nodes over the measured window (JFR "profile" settings, same overhead on both sides) and
# prints each side's allocated bytes per op and top allocation/CPU sites (bench/jfr-summary.py).
# PORT_OFFSET=N shifts every port by N (several pairs on one machine).
# PROTO=cql drives both sides over the CQL native protocol (ports 19042/19043, the Java driver) instead of HTTP.
set -u
A=$1; B=$2; label=$3; shift 4
def="-Xms640m -Xmx640m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+PerfDisableSharedMem -Xss512k"
cd "$(dirname "$0")/.."
out=target/pair; mkdir -p $out
o=${PORT_OFFSET:-0}; HA=$((18180+o)); HB=$((18181+o))
declare -A pid
for side in A B; do
  if [ $side = A ]; then jd=$A; jo=${A_OPTS:-$def}; cf=${A_CONF:-}; port=$HA; cport=$((17100+o)); qport=$((19042+o))
  else jd=$B; jo=${B_OPTS:-$def}; cf=${B_CONF:-}; port=$HB; cport=$((17101+o)); qport=$((19043+o)); fi
  data=$out/data-$label-$side; rm -rf $data
  java $jo -jar $jd/sibyl.jar start ${cf:+--config $cf} --data-dir $data --http-port $port --cluster-port $cport --cql-port $qport > $out/node-$label-$side.log 2>&1 &
  pid[$side]=$!
done
for port in $HA $HB; do for i in $(seq 1 120); do curl -sf http://127.0.0.1:$port/ready >/dev/null 2>&1 && break; sleep 0.5; done; done
target() { if [ "${PROTO:-http}" = cql ]; then echo "cql://127.0.0.1:$(( $1 - 18180 + 19042 ))"; else echo "http://127.0.0.1:$1"; fi; }
S="java -Xms512m -Xmx512m -XX:+UseParallelGC -jar $A/sibyl.jar stress"
if [[ " $* " == *" --keys "* ]]; then
  loaders=()
  for port in $HA $HB; do
    $S --target $(target $port) "$@" --load --batch 100 --duration 1s --warmup 0s --concurrency 16 > $out/load-$label-$port.log 2>&1 &
    loaders+=($!)
  done
  wait "${loaders[@]}"
fi
$S --target $(target $HA) "$@" --duration 30s --warmup 10s --json > $out/run-$label-A.log 2>&1 &
sa=$!
$S --target $(target $HB) "$@" --duration 30s --warmup 10s --json > $out/run-$label-B.log 2>&1 &
sb=$!
sleep 10.3
if [ "${JFR:-0}" = 1 ]; then for side in A B; do jcmd ${pid[$side]} JFR.start name=pair settings=profile >/dev/null; done; fi
ta0=$(awk '{print $14+$15}' /proc/${pid[A]}/stat); tb0=$(awk '{print $14+$15}' /proc/${pid[B]}/stat); load0=$(cut -d' ' -f1-3 /proc/loadavg)
sleep 30
ta1=$(awk '{print $14+$15}' /proc/${pid[A]}/stat); tb1=$(awk '{print $14+$15}' /proc/${pid[B]}/stat); load1=$(cut -d' ' -f1-3 /proc/loadavg)
if [ "${JFR:-0}" = 1 ]; then for side in A B; do jcmd ${pid[$side]} JFR.dump name=pair filename=$PWD/$out/$label-$side.jfr >/dev/null; done; fi
wait $sa $sb
kill ${pid[A]} ${pid[B]}; wait ${pid[A]} ${pid[B]} 2>/dev/null
rm -rf $out/data-$label-A $out/data-$label-B
python3 - "$label" "$ta0" "$ta1" "$tb0" "$tb1" "$load0" "$load1" <<'PY'
import sys,json
label,ta0,ta1,tb0,tb1,l0,l1=sys.argv[1:]
for side,t0,t1 in (("A",ta0,ta1),("B",tb0,tb1)):
    out=open(f"target/pair/run-{label}-{side}.log").read().strip().split("\n")[-1]
    try: j=json.loads(out)
    except Exception: j={'ops':0,'ops_per_s':0}
    cpu=(int(t1)-int(t0))/100.0; ops=max(j.get('ops',0),1)
    print(f"{label}-{side}: ops/s={j.get('ops_per_s',0):.0f} rows/s={j.get('rows_per_s',0):.0f} p50={j.get('p50_ms')} p99={j.get('p99_ms')} max={j.get('max_ms')} err={j.get('errors')} cpu_s={cpu:.1f} cpu_us/op={cpu*1e6/ops:.0f} load={l0} -> {l1}")
PY
if [ "${JFR:-0}" = 1 ]; then
  for side in A B; do
    ops=$(python3 -c "import json,sys; print(json.loads(open('$out/run-$label-$side.log').read().strip().split(chr(10))[-1]).get('ops',0))" 2>/dev/null || echo 0)
    # the recording spans the 30 s window; ops are the client's count over the same window
    echo "== $label-$side JFR"; python3 bench/jfr-summary.py $out/$label-$side.jfr "$ops" 12
  done
fi

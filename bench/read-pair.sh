#!/usr/bin/env bash
# Paired read benchmark (issue 5): two builds of the node side by side (ports 18180/18181), each loaded with
# 200,000 flushed keys, then `sibyl stress --workload read|mixed` against both AT THE SAME TIME, so both share
# the machine's noise. Prints reads/s, latency and server CPU-µs per request (from /proc/<pid>/stat) per side.
# A jar dir (absolute path) is a copy of app/target with sibyl.jar and lib/ (cp -r app/target/sibyl.jar app/target/lib DIR).
# Usage: bench/read-pair.sh JARDIR_A CONFIG_A JARDIR_B CONFIG_B LABEL [read|mixed]   (CONFIG "" = default)
set -u
A=$1; CA=$2; B=$3; CB=$4; label=$5; wl=${6:-read}
opts="-Xms640m -Xmx640m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+PerfDisableSharedMem -Xss512k"
cd "$(dirname "$0")/.."
mkdir -p target/read-pair
declare -A pid
for side in A B; do
  if [ $side = A ]; then jd=$A; cf=$CA; port=18180; cport=17100; else jd=$B; cf=$CB; port=18181; cport=17101; fi
  data=target/read-pair/data-$label-$side; rm -rf $data
  java $opts -jar $jd/sibyl.jar start ${cf:+--config $cf} --data-dir $data --http-port $port --cluster-port $cport > target/read-pair/node-$label-$side.log 2>&1 &
  pid[$side]=$!
done
for port in 18180 18181; do for i in $(seq 1 120); do curl -sf http://127.0.0.1:$port/ready >/dev/null 2>&1 && break; sleep 0.5; done; done
S="java -Xms512m -Xmx512m -XX:+UseParallelGC -jar $A/sibyl.jar stress --keys 200000"
$S --target http://127.0.0.1:18180 --workload read --load --batch 100 --duration 1s --warmup 1s --concurrency 16 --json > target/read-pair/load-$label-A.log 2>&1 &
la=$!
$S --target http://127.0.0.1:18181 --workload read --load --batch 100 --duration 1s --warmup 1s --concurrency 16 --json > target/read-pair/load-$label-B.log 2>&1 &
lb=$!
wait $la $lb
sleep 2
$S --target http://127.0.0.1:18180 --workload $wl --duration 30s --warmup 10s --concurrency 64 --json > target/read-pair/run-$label-A.log 2>&1 &
sa=$!
$S --target http://127.0.0.1:18181 --workload $wl --duration 30s --warmup 10s --concurrency 64 --json > target/read-pair/run-$label-B.log 2>&1 &
sb=$!
sleep 10.3
ta0=$(awk '{print $14+$15}' /proc/${pid[A]}/stat); tb0=$(awk '{print $14+$15}' /proc/${pid[B]}/stat); load0=$(cut -d' ' -f1-3 /proc/loadavg)
wait $sa $sb
ta1=$(awk '{print $14+$15}' /proc/${pid[A]}/stat); tb1=$(awk '{print $14+$15}' /proc/${pid[B]}/stat); load1=$(cut -d' ' -f1-3 /proc/loadavg)
kill ${pid[A]} ${pid[B]}; wait ${pid[A]} ${pid[B]} 2>/dev/null
rm -rf target/read-pair/data-$label-A target/read-pair/data-$label-B
python3 - "$label" "$ta0" "$ta1" "$tb0" "$tb1" "$load0" "$load1" <<'PY'
import sys,json
label,ta0,ta1,tb0,tb1,l0,l1=sys.argv[1:]
for side,t0,t1 in (("A",ta0,ta1),("B",tb0,tb1)):
    out=open(f"target/read-pair/run-{label}-{side}.log").read().strip().split("\n")[-1]
    try: j=json.loads(out)
    except Exception: j={'ops':0,'ops_per_s':0}
    cpu=(int(t1)-int(t0))/100.0; ops=max(j['ops'],1)
    print(f"{label}-{side}: ops/s={j.get('ops_per_s',0):.0f} p50={j.get('p50_ms')} p99={j.get('p99_ms')} err={j.get('errors')} cpu_s={cpu:.1f} cpu_us/op={cpu*1e6/ops:.0f} load={l0} -> {l1}")
PY

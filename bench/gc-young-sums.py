#!/usr/bin/env python3
"""Young-GC sums of a G1 log (-Xlog:gc,gc+heap=debug,gc+age=trace:...:uptime) per row written:
gc-young-sums.py LOG SKIP ROWS, SKIP = young GCs before the run (bench/memtable-objects.sh). Bytes copied into
survivors sum every age's bytes after each young GC; promotion is the growth of old regions (1 region units)."""
import re
import sys

log = open(sys.argv[1]).read().splitlines()
skip, rows = int(sys.argv[2]), float(sys.argv[3])
gcs = {}
for line in log:
    m = re.search(r'GC\((\d+)\) (.*)', line)
    if not m:
        continue
    d = gcs.setdefault(int(m.group(1)), {})
    text = m.group(2)
    if text.startswith('Pause Young'):
        d['young'] = True
        d['ms'] = float(re.search(r'([\d.]+)ms', text).group(1))
    mm = re.match(r'Old regions: (\d+)->(\d+)', text)
    if mm:
        d['old'] = int(mm.group(2)) - int(mm.group(1))
    mm = re.search(r'- age\s+\d+:\s+(\d+) bytes', text)
    if mm:
        d['surv'] = d.get('surv', 0) + int(mm.group(1))
young = [d for _, d in sorted(gcs.items()) if d.get('young')][skip:]
if not young:
    sys.exit("no young GC during the run")
ms = sorted(d['ms'] for d in young)
n = len(young)
surv = sum(d.get('surv', 0) for d in young)
promo = sum(max(0, d.get('old', 0)) for d in young) * 1024 * 1024
print(f"young pauses {n} ({n / rows * 1e5:.1f}/100k rows), total {sum(ms):.0f} ms ({sum(ms) / rows * 1e5:.0f} ms/100k rows), "
      f"median {ms[n // 2]:.1f} ms, p90 {ms[int(n * 0.9)]:.1f} ms")
print(f"copied into survivors {surv / 1e6:.1f} MB ({surv / rows:.0f} B/row); old-region growth at young GCs "
      f"{promo / 1e6:.0f} MB ({promo / rows:.0f} B/row)")

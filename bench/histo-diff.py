#!/usr/bin/env python3
"""Difference of two `jmap -histo` outputs per row: histo-diff.py BEFORE AFTER ROWS (bench/memtable-objects.sh)."""
import re
import sys


def load(path):
    d = {}
    for line in open(path):
        m = re.match(r'\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)', line)
        if m:
            d[m.group(3)] = (int(m.group(1)), int(m.group(2)))
        m = re.match(r'Total\s+(\d+)\s+(\d+)', line)
        if m:
            d['TOTAL'] = (int(m.group(1)), int(m.group(2)))
    return d


a, b, rows = load(sys.argv[1]), load(sys.argv[2]), float(sys.argv[3])
diff = [(k, b.get(k, (0, 0))[0] - a.get(k, (0, 0))[0], b.get(k, (0, 0))[1] - a.get(k, (0, 0))[1]) for k in set(a) | set(b)]
diff.sort(key=lambda x: -abs(x[2]))
for k, n, s in diff[:25]:
    print(f"{n / rows:8.2f} obj/row {s / rows:9.1f} B/row  {n:9d} {s:11d}  {k}")

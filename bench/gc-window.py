#!/usr/bin/env python3
"""What a node allocated and how long its young collections paused, over a measured window.

    bench/gc-window.py GC.LOG [OPERATIONS]

The node runs with `-Xlog:gc:file=GC.LOG` (G1, the default collector); the window is marked by two
`jcmd PID GC.run` (full collections) before and after the load. Between them, what was allocated is what each
collection found minus what the previous one left. With OPERATIONS (messages or setups done in the window),
bytes per operation are printed too. Prints one JSON object. Only the standard library is used."""
import json
import re
import sys

LINE = re.compile(r"^\[(?P<up>[\d.]+)s\].*GC\(\d+\) (?P<kind>Pause .*?) "
                  r"(?P<before>\d+)(?P<bu>[KMG])->(?P<after>\d+)(?P<au>[KMG])\(\d+[KMG]\) (?P<ms>[\d.]+)ms")
UNIT = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def main():
    pauses = []
    with open(sys.argv[1]) as log:
        for line in log:
            m = LINE.match(line)
            if m:
                pauses.append((float(m["up"]), m["kind"], int(m["before"]) * UNIT[m["bu"]],
                               int(m["after"]) * UNIT[m["au"]], float(m["ms"])))
    marks = [i for i, p in enumerate(pauses) if p[1].startswith("Pause Full")]
    if len(marks) < 2:
        sys.exit("gc-window: the log needs two full collections (jcmd PID GC.run) around the window")
    start, end = marks[-2], marks[-1]
    allocated = 0
    left = pauses[start][3]
    young = []
    for up, kind, before, after, ms in pauses[start + 1:end + 1]:
        allocated += max(0, before - left)
        left = after
        if not kind.startswith("Pause Full"):
            young.append(ms)
    seconds = pauses[end][0] - pauses[start][0]
    young.sort()
    report = {
        "window_s": round(seconds, 1),
        "allocated_mb": round(allocated / UNIT["M"], 1),
        "allocated_mb_per_s": round(allocated / UNIT["M"] / seconds, 1),
        "young_pauses": len(young),
        "young_pause_ms": {
            "mean": round(sum(young) / len(young), 2) if young else None,
            "p99": young[min(len(young) - 1, int(len(young) * 0.99))] if young else None,
            "max": young[-1] if young else None,
        },
    }
    if len(sys.argv) > 2:
        report["bytes_per_operation"] = round(allocated / int(sys.argv[2]))
    print(json.dumps(report))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Summarises the execution samples of a JFR recording: by thread, by kind of work, and by top frames.

    bench/jfr-summary.py RECORDING.jfr [TOP]

Needs the JDK's `jfr` on the PATH. Only the standard library is used."""
import collections
import json
import subprocess
import sys

# Kinds of work, by a frame that marks them near the top of the stack (first match wins; a sample counts once).
KINDS = [
    ("policy chain (PolicyChain.select)", lambda s: any("routing.PolicyChain" in n for n in s)),
    ("store (InMemoryStore)", lambda s: any("store.InMemoryStore" in n for n in s)),
    ("JSON encode/decode and copies (Jackson, JsonObject)",
     lambda s: any(n.startswith(("com.fasterxml", "io.vertx.core.json")) for n in s[:8])),
    ("event bus (delivery, reply handlers, their close hooks)",
     lambda s: any("io.vertx.core.eventbus" in n or "CloseFuture" in n for n in s[:8])),
    ("timers (scheduling and cancelling timeouts)",
     lambda s: any(k in n for n in s[:6] for k in ("scheduleTimeout", "PriorityQueue", "ScheduledFutureTask"))),
    ("socket I/O and WebSocket codec (Netty, NIO)", lambda s: any(n.startswith(("io.netty", "sun.nio")) for n in s[:6])),
]


def frames(event):
    trace = event["values"].get("stackTrace") or {"frames": []}
    return [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"] for f in trace["frames"]]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", sys.argv[1]],
                         check=True, capture_output=True, text=True).stdout
    events = json.loads(out)["recording"]["events"]
    total = len(events) or 1
    threads, kinds, leaves, ours = (collections.Counter() for _ in range(4))
    for event in events:
        stack = frames(event)
        thread = (event["values"].get("sampledThread") or {}).get("javaName") or "?"
        threads[thread] += 1
        kind = next((name for name, test in KINDS if test(stack)), "other")
        kinds[kind] += 1
        if stack:
            leaves[stack[0]] += 1
        for name in dict.fromkeys(stack):
            if name.startswith("io.switchboard") and "$$Lambda" not in name:
                ours[name] += 1
    print(f"{len(events)} execution samples")

    def table(title, counter, limit):
        print(f"\n{title}")
        for name, count in counter.most_common(limit):
            print(f"  {count:6d} {100 * count / total:5.1f}%  {name}")

    table("by thread", threads, 8)
    table("by kind of work (first match)", kinds, len(KINDS) + 1)
    table("top leaf frames", leaves, top)
    table("io.switchboard frames on the stack (inclusive)", ours, top)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Prints the tables of docs/BENCHMARKS.md from the results bench/suite.sh wrote: bench/suite-report.py OUT_DIR"""
import json
import os
import sys

out = sys.argv[1]


def load(name):
    path = os.path.join(out, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read().strip()
    return json.loads(text) if text else None


def cpu(result, label):
    part = (result or {}).get("cpu", {}).get(label)
    return f"{part['usPerOp']:,.0f}" if part and "usPerOp" in part else "–"


def rate(result, key):
    return f"{result[key]:,.0f}" if result and key in result else "–"


def p99(result, key="deliverLatencyMs"):
    return f"{result[key]['p99']:,.1f}" if result and key in result else "–"


def ok(result):
    if not result:
        return "no result"
    lost = sum(result.get(k, 0) for k in ("lost", "duplicated", "outOfOrder"))
    errors = sum(result.get("errors", {}).values()) if isinstance(result.get("errors"), dict) else 0
    return "ok" if result.get("ok") and lost == 0 and errors == 0 else f"NOT OK (lost/dup/order {lost}, errors {errors})"


print("| run | ops/s | p99 ms | node µs/op | Redis µs/op | total µs/op | load avg | check |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for setup in ("floor", "embedded", "redis", "cluster"):
    for run in ("setup", "relay-ws", "relay-tcp", "paced5k-tcp", "paced10k-ws"):
        r = load(f"{setup}-{run}")
        if r is None:
            continue
        node = cpu(r, "floor") if setup == "floor" else (
            f"{cpu(r, 'n1')} + {cpu(r, 'n2')}" if setup == "cluster" else cpu(r, "node"))
        ops = rate(r, "setupsPerSecond") if run == "setup" else rate(r, "messagesPerSecond")
        latency = p99(r, "openLatencyMs") if run == "setup" else p99(r)
        print(f"| {setup} {run} | {ops} | {latency} | {node} | {cpu(r, 'redis')} | {cpu(r, 'total')} "
              f"| {' '.join(r.get('loadAverage', []))} | {ok(r)} |")

print()
print("| paced 5,000 msgs/s (TCP, 50 conversations) | bytes allocated per message | young pauses | mean ms | max ms |")
print("| --- | --- | --- | --- | --- |")
for setup in ("embedded", "redis", "cluster"):
    g = load(f"{setup}-paced5k-tcp.gc")
    if g:
        print(f"| {setup} | {g.get('bytes_per_operation', '–'):,} | {g['young_pauses']} "
              f"| {g['young_pause_ms']['mean']} | {g['young_pause_ms']['max']} |")

print()
print("| idle 10,000 WebSocket connections | connections/s | heap per connection | RSS per connection |")
print("| --- | --- | --- | --- |")
for setup in ("embedded", "redis", "cluster"):
    r = load(f"{setup}-idle")
    if r:
        heap = r.get("heapPerConnectionBytes")
        rss = r.get("rssPerConnectionBytes")
        print(f"| {setup} | {rate(r, 'connectionsPerSecond')} | {heap / 1024:.1f} KiB | {rss / 1024:.1f} KiB |"
              if heap is not None and rss is not None else f"| {setup} | {rate(r, 'connectionsPerSecond')} | – | – |")

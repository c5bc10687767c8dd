#!/usr/bin/env bash
# Runs every row of docs/BENCHMARKS.md on this machine and prints the tables (one JSON result per row is kept):
#   bench/suite.sh OUT_DIR                 # the jars of this checkout (mvn -B -ntp package -DskipTests first)
#   NODE_JAR=old.jar NODE_ARGS= bench/suite.sh OUT_DIR   # another build of the node (NODE_ARGS: its extra options)
#   DURATION=15s WARMUP=5s ROWS="floor embedded redis cluster" bench/suite.sh OUT_DIR
# Needs redis-server, curl and python3. Uses ports 17070-17079, 18080-18089, 16399 and 25701-25702.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: bench/suite.sh OUT_DIR}"
mkdir -p "$out"
NODE_JAR="${NODE_JAR:-$here/../node/target/switchboard.jar}"
BENCH_JAR="${BENCH_JAR:-$here/target/switchboard-bench.jar}"
# A benchmark's sources and members are load generators, not people: the limits meant for people are raised.
NODE_ARGS="${NODE_ARGS---rate-limit 100000 --max-pending-opens 1000 --member-offers-per-second 1000000}"
DURATION="${DURATION:-15s}"
WARMUP="${WARMUP:-5s}"
ROWS="${ROWS:-floor embedded redis cluster}"
SECRET=bench-secret-0123456789abcdefghij
REDIS_PORT=16399
B=(java -jar "$BENCH_JAR")
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

ready() { # port
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$1/health/ready" >/dev/null && return 0
    sleep 0.5
  done
  echo "suite: nothing ready on port $1" >&2
  return 1
}

node() { # name http-port tcp-port options… ; sets NODE_PID
  local name=$1 http=$2 tcp=$3
  shift 3
  # shellcheck disable=SC2086
  java -Xlog:gc:file="$out/$name.gc.log" -jar "$NODE_JAR" --host 127.0.0.1 --http-port "$http" --tcp-port "$tcp" \
    --jwt-secret "$SECRET" $NODE_ARGS "$@" > "$out/$name.log" 2>&1 &
  NODE_PID=$!
  pids+=("$NODE_PID")
}

redis() { # sets REDIS_PID
  redis-server --port "$REDIS_PORT" --save "" --appendonly no > "$out/redis.log" 2>&1 &
  REDIS_PID=$!
  pids+=("$REDIS_PID")
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
}

stop() { # pids…
  for pid in "$@"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
}

run() { # row-name command options… : one result file
  local name=$1
  shift
  echo "suite: $name (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  { "${B[@]}" "$@" --secret "$SECRET" --warmup "$WARMUP" --duration "$DURATION" 2> "$out/$name.err" || true; } \
    | python3 -c "import json,sys; d=json.load(sys.stdin); d['loadAverage']=open('/proc/loadavg').read().split()[:3]; print(json.dumps(d))" \
    > "$out/$name.json"
}

# A paced run framed by full collections, so that the node's allocation and young pauses of the run are known.
paced() { # name gc-name node-pid command options…
  local name=$1 gc=$2 pid=$3
  shift 3
  jcmd "$pid" GC.run >/dev/null
  run "$name" "$@"
  jcmd "$pid" GC.run >/dev/null
  # every message sent between the two collections, warm-up included
  python3 "$here/gc-window.py" "$out/$gc.gc.log" \
    "$(python3 -c "import json; print(json.load(open('$out/$name.json'))['sent'])")" > "$out/$name.gc.json"
}

load_rows() { # prefix endpoint-options pid-options node-name node-pid (the node whose collections are reported)
  local p=$1 c=$2 pids=$3 gcname=$4 npid=$5
  # shellcheck disable=SC2086
  run "$p-setup" setup $c $pids --sources 20 --virtual-users 10 --members 10 --concurrency 2
  # shellcheck disable=SC2086
  run "$p-relay-ws" relay $c $pids --transport ws --conversations 100 --window 8
  # shellcheck disable=SC2086
  run "$p-relay-tcp" relay $c $pids --transport tcp --conversations 100 --window 8
  # shellcheck disable=SC2086
  paced "$p-paced5k-tcp" "$gcname" "$npid" relay $c $pids --transport tcp --conversations 50 --rate 5000
  # shellcheck disable=SC2086
  run "$p-paced10k-ws" relay $c $pids --transport ws --conversations 100 --rate 10000
}

"${B[@]}" directory --sources 10000 --virtual-users 10 --members 10 > "$out/directory.json"

for row in $ROWS; do
  case $row in
    floor)
      "${B[@]}" floor --http-port 18089 --tcp-port 17079 > "$out/floor.json" 2> "$out/floor.log" &
      FLOOR_PID=$!
      pids+=("$FLOOR_PID")
      for _ in $(seq 1 100); do grep -q listening "$out/floor.json" 2>/dev/null && break; sleep 0.2; done
      C="--url ws://127.0.0.1:18089/ws --tcp 127.0.0.1:17079"
      # shellcheck disable=SC2086
      run floor-relay-ws relay $C --pid floor=$FLOOR_PID --transport ws --conversations 100 --window 8
      # shellcheck disable=SC2086
      run floor-relay-tcp relay $C --pid floor=$FLOOR_PID --transport tcp --conversations 100 --window 8
      # shellcheck disable=SC2086
      run floor-paced5k-tcp relay $C --pid floor=$FLOOR_PID --transport tcp --conversations 50 --rate 5000
      stop "$FLOOR_PID"
      ;;
    embedded)
      node embedded 18080 17070 --directory "$out/directory.json"
      ready 18080
      C="--url ws://127.0.0.1:18080/ws --tcp 127.0.0.1:17070"
      load_rows embedded "$C" "--pid node=$NODE_PID" embedded "$NODE_PID"
      # shellcheck disable=SC2086
      run embedded-idle idle $C --connections 10000 --connect-batch 500 --pid "$NODE_PID"
      stop "$NODE_PID"
      ;;
    redis)
      redis
      node redis 18081 17071 --directory "$out/directory.json" --redis "redis://127.0.0.1:$REDIS_PORT"
      ready 18081
      C="--url ws://127.0.0.1:18081/ws --tcp 127.0.0.1:17071"
      load_rows redis "$C" "--pid node=$NODE_PID --pid redis=$REDIS_PID" redis "$NODE_PID"
      # shellcheck disable=SC2086
      run redis-idle idle $C --connections 10000 --connect-batch 500 --pid "$NODE_PID"
      stop "$NODE_PID" "$REDIS_PID"
      ;;
    cluster)
      redis
      # Each node names both members: a host alone is tried on the ports from its own --cluster-port up, so n2 would
      # not find n1 and would form a cluster of its own until Hazelcast merged the two minutes later.
      CL="--cluster --cluster-name bench --cluster-host 127.0.0.1 --cluster-members 127.0.0.1:25701,127.0.0.1:25702 --redis redis://127.0.0.1:$REDIS_PORT"
      # shellcheck disable=SC2086
      node cluster-n1 18082 17072 $CL --cluster-port 25701 --node-id n1 --directory "$out/directory.json"
      N1=$NODE_PID
      ready 18082
      # shellcheck disable=SC2086
      node cluster-n2 18083 17073 $CL --cluster-port 25702 --node-id n2
      N2=$NODE_PID
      ready 18083
      # Connections go to the nodes in turn: sources on one node, members on the other.
      C="--url ws://127.0.0.1:18082/ws,ws://127.0.0.1:18083/ws --tcp 127.0.0.1:17072,127.0.0.1:17073"
      load_rows cluster "$C" "--pid n1=$N1 --pid n2=$N2 --pid redis=$REDIS_PID" cluster-n1 "$N1"
      # One node of the cluster: what registering a user costs when the cluster must know it.
      # shellcheck disable=SC2086
      run cluster-idle idle --url ws://127.0.0.1:18082/ws --tcp 127.0.0.1:17072 --connections 10000 \
        --connect-batch 500 --pid "$N1"
      stop "$N1" "$N2" "$REDIS_PID"
      ;;
    *) echo "suite: unknown row $row" >&2; exit 2 ;;
  esac
done

python3 "$here/suite-report.py" "$out"

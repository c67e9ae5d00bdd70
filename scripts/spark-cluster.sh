#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 built from the Maven jars alone (no Spark distribution):
# a master and two workers, a search submitted through SparkSubmit with qtune's shaded jar, and
# then exactly the processes this script started stopped again, by PID.
#
# Usage:
#   scripts/spark-cluster.sh run EXPERIMENT [search options]    start, submit the search, stop
#   scripts/spark-cluster.sh start DIR                          start; DIR gets pids, master-url, logs/
#   scripts/spark-cluster.sh submit DIR EXPERIMENT [options]    submit a search to DIR's cluster
#   scripts/spark-cluster.sh stop DIR                           stop the processes listed in DIR/pids
#
# Environment: QTUNE_SPARK_WORKERS (workers, default 2), QTUNE_SPARK_WORKER_CORES (cores each,
# default 1), QTUNE_SPARK_EXECUTOR_MEMORY (default 2g), QTUNE_DATA (data root, default ROOT/data),
# QTUNE_SKIP_BUILD=1 (use the shaded jar already built).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAR="$ROOT/experiments/target/qtune-experiments-0.1.0-SNAPSHOT-spark.jar"
SPARK_DIR="$ROOT/experiments/target/spark-home"
WORKERS="${QTUNE_SPARK_WORKERS:-2}"
CORES="${QTUNE_SPARK_WORKER_CORES:-1}"
EXECUTOR_MEMORY="${QTUNE_SPARK_EXECUTOR_MEMORY:-2g}"

export SPARK_HOME="$SPARK_DIR" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
# Master and workers log Spark's deploy messages (a worker's "registered" line is waited for); the
# submitting JVM logs warnings only, beside qtune's own progress.
DAEMON_LOG="-Dlog4j.configurationFile=$SPARK_DIR/conf/log4j2-daemon.properties"
DRIVER_LOG="-Dlog4j.configurationFile=$SPARK_DIR/conf/log4j2-driver.properties"

die() { echo "spark-cluster: $*" >&2; exit 1; }

# The project (with the shaded jar) as the launcher builds it (QTUNE_SKIP_BUILD=1: use the jar that
# is there, as the integration tests do inside mvn verify), and SPARK_HOME/jars from Maven.
ensure_built() {
  [ "${QTUNE_SKIP_BUILD:-0}" = 1 ] || "$ROOT/qtune" --version >/dev/null
  [ -f "$JAR" ] || die "expected the shaded jar $JAR after the build; found none"
  if [ ! -f "$SPARK_DIR/.complete" ] || [ "$ROOT/scripts/spark/pom.xml" -nt "$SPARK_DIR/.complete" ]; then
    echo "spark-cluster: resolving Spark's jars into $SPARK_DIR/jars" >&2
    rm -rf "$SPARK_DIR/jars"
    mvn -B -q -f "$ROOT/scripts/spark/pom.xml" package -Dspark.home.jars="$SPARK_DIR/jars" >&2
    mkdir -p "$SPARK_DIR/conf"
    cat > "$SPARK_DIR/conf/log4j2-driver.properties" <<'EOF'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n
EOF
    { cat "$SPARK_DIR/conf/log4j2-driver.properties"
      echo "logger.deploy.name = org.apache.spark.deploy"
      echo "logger.deploy.level = info"; } > "$SPARK_DIR/conf/log4j2-daemon.properties"
    touch "$SPARK_DIR/.complete"
  fi
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds.
wait_for() {
  local seconds="$1" what="$2"
  shift 2
  for _ in $(seq 1 $((seconds * 5))); do
    "$@" && return 0
    sleep 0.2
  done
  die "timed out after ${seconds}s waiting for $what"
}

# The URL the master logged once it listened (it binds a free port of its own choosing).
master_url() { sed -n 's/.*Starting Spark master at \(spark:\/\/[0-9.:]*\).*/\1/p' "$1" | head -n 1; }
master_up() { [ -n "$(master_url "$1")" ]; }

start() {
  local dir="$1"
  [ ! -s "$dir/pids" ] || die "$dir/pids exists: a cluster may still run there (scripts/spark-cluster.sh stop $dir)"
  mkdir -p "$dir/logs"
  : > "$dir/pids"
  java "$DAEMON_LOG" -cp "$SPARK_DIR/jars/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port 0 --webui-port 0 > "$dir/logs/master.log" 2>&1 &
  echo "master $!" >> "$dir/pids"
  wait_for 60 "the master to listen (log: $dir/logs/master.log)" master_up "$dir/logs/master.log"
  local url
  url="$(master_url "$dir/logs/master.log")"
  for i in $(seq 1 "$WORKERS"); do
    java "$DAEMON_LOG" -cp "$SPARK_DIR/jars/*" org.apache.spark.deploy.worker.Worker \
      --host 127.0.0.1 --cores "$CORES" --memory 4g --webui-port 0 --work-dir "$dir/work-$i" "$url" \
      > "$dir/logs/worker-$i.log" 2>&1 &
    echo "worker-$i $!" >> "$dir/pids"
  done
  for i in $(seq 1 "$WORKERS"); do
    wait_for 60 "worker $i to register (log: $dir/logs/worker-$i.log)" \
      grep -q "Successfully registered with master" "$dir/logs/worker-$i.log"
  done
  echo "$url" > "$dir/master-url"
  echo "spark-cluster: master $url and $WORKERS workers ($CORES core(s) each) started; pids in $dir/pids" >&2
}

submit() {
  local dir="$1" experiment="$2"
  shift 2
  [ -s "$dir/master-url" ] || die "no cluster in $dir (expected $dir/master-url; run: scripts/spark-cluster.sh start $dir)"
  java "$DRIVER_LOG" "-Dqtune.data.dir=${QTUNE_DATA:-$ROOT/data}" "-Dqtune.root=$ROOT" ${QTUNE_JAVA_OPTS:-} \
    -cp "$SPARK_DIR/jars/*" org.apache.spark.deploy.SparkSubmit \
    --master "$(cat "$dir/master-url")" --deploy-mode client --name "qtune search" \
    --class dev.qtune.experiments.cli.QtuneMain \
    --conf spark.driver.host=127.0.0.1 --conf spark.executor.memory="$EXECUTOR_MEMORY" \
    "$JAR" search "$experiment" "$@"
}

# Stops exactly the processes named in DIR/pids: TERM first (a worker then stops its executors),
# KILL after 15 seconds.
stop() {
  local dir="$1"
  [ -f "$dir/pids" ] || return 0
  local pids=()
  while read -r _ pid; do
    pids+=("$pid")
  done < <(tac "$dir/pids")
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 75); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -f "$dir/pids" "$dir/master-url"
  echo "spark-cluster: stopped ${#pids[@]} processes" >&2
}

cmd="${1:-}"
[ -n "$cmd" ] || die "usage: scripts/spark-cluster.sh run EXPERIMENT [options] | start DIR | submit DIR EXPERIMENT [options] | stop DIR"
shift
case "$cmd" in
  start)
    [ $# -eq 1 ] || die "usage: scripts/spark-cluster.sh start DIR"
    ensure_built
    start "$1"
    ;;
  submit)
    [ $# -ge 2 ] || die "usage: scripts/spark-cluster.sh submit DIR EXPERIMENT [search options]"
    ensure_built
    submit "$@"
    ;;
  stop)
    [ $# -eq 1 ] || die "usage: scripts/spark-cluster.sh stop DIR"
    stop "$1"
    ;;
  run)
    [ $# -ge 1 ] || die "usage: scripts/spark-cluster.sh run EXPERIMENT [search options]"
    ensure_built
    dir="$(mktemp -d "${TMPDIR:-/tmp}/qtune-spark.XXXXXX")"
    trap 'stop "$dir"' EXIT
    start "$dir"
    submit "$dir" "$@"
    ;;
  *)
    die "unknown command '$cmd': expected run, start, submit or stop"
    ;;
esac

# What the end-to-end benchmarks share: their build, the nginx sink, the fake API server, the
# daemon's /metrics. Sourced by bench/*.sh from the repository's root; they set $work (a scratch
# directory) before starting anything.

# The Release build the benchmarks measure, in build-bench: the targets named. Sets $bin.
build_bench() {
  BUILD_DIR=build-bench BUILD_TYPE=Release BUILD_TARGETS="$*" \
    scripts/build.sh -DKFPEVENTS_BUILD_BENCHMARKS=ON -DKFPEVENTS_BUILD_TESTS=ON \
    -DKFPEVENTS_BUILD_EXAMPLES=OFF -DKFPEVENTS_BUILD_CLI=ON
  bin=build-bench
}

# nginx-light answering 204 on loopback, keep-alive, no logs: the sink costs as little as it can.
# Sets $url; stop_nginx_sink stops it.
start_nginx_sink() {
  local port=$((20000 + RANDOM % 20000))
  mkdir -p "$work/tmp"
  cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$port;
    client_body_buffer_size 64k;
    location / { return 204; }
  }
}
CONF
  nginx -c "$work/nginx.conf" -p "$work" -e "$work/error.log"
  url="http://127.0.0.1:$port/hook"
}

stop_nginx_sink() {
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
}

# The fake API server sending `recording` (and its other arguments) once it listens; sets $api.
start_fake_apiserver() {
  local recording=$1
  shift
  rm -f "$work/api.out"
  "$bin/tests/kfp-fake-apiserver" "$recording" "$work/kubeconfig" "$@" >"$work/api.out" 2>&1 &
  api=$!
  until grep -q listening "$work/api.out" 2>/dev/null; do sleep 0.05; done
}

# The daemon's /metrics port, once it serves it (it logs the address to $work/daemon.err).
metrics_port() {
  local port=""
  until [ -n "$port" ]; do
    sleep 0.05
    port=$(grep -o '/metrics on 127.0.0.1:[0-9]*' "$work/daemon.err" | cut -d: -f2 || true)
  done
  echo "$port"
}

# The sum of a counter's series on /metrics at `port`: `metric_sum PORT 'awk regex'`.
metric_sum() {
  curl -s "http://127.0.0.1:$1/metrics" | awk -v m="$2" '$0 ~ m {n += $2} END {print n + 0}'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

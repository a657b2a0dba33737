#!/usr/bin/env bash
# `make load-test`: wrk (Debian's) posts one CSV image to /api/predict over loopback for 10 s
# with $CONNECTIONS connections (default 4); the server pinned to core 0, wrk to core 1. Prints wrk's report
# and a summary (requests, requests/s, latency percentiles), and fails on any error or non-2xx answer, on
# no answer at all, or on a server no longer healthy afterwards. It does not fail on low throughput: how many
# requests 10 s hold depends on the machine, so the figures are reported for a person to judge, not gated.
set -euo pipefail
server=${1:?usage: load_test.sh path/to/digits-server}
command -v wrk >/dev/null || { echo "SKIP: wrk is not installed (apt-get install wrk)"; exit 0; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
taskset -c 0 "$server" --port "$port" --model Resources/digits.safetensors &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# A vertical stroke: a 1, as 784 intensities.
body=$(python3 -c 'print(",".join("255" if 12 <= i % 28 <= 14 and 4 <= i // 28 < 24 else "0" for i in range(784)))')
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/csv"
wrk.body = "$body"
done = function(summary, latency, requests)
  io.write(string.format("requests %d, errors: connect %d read %d write %d status %d timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout))
  io.write(string.format("p50 %.3f ms, p99 %.3f ms, max %.3f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("throughput %.1f requests/s over %.2f s\n",
    summary.requests / (summary.duration / 1e6), summary.duration / 1e6))
end
LUA
taskset -c 1 wrk -t1 -c"${CONNECTIONS:-4}" -d10s --latency -s "$work/post.lua" "http://127.0.0.1:$port/api/predict" | tee "$work/out"
grep -q "errors: connect 0 read 0 write 0 status 0 timeout 0" "$work/out" || { echo "load test: errors" >&2; exit 1; }
requests=$(sed -n 's/^requests \([0-9]*\),.*/\1/p' "$work/out")
# Zero requests is no measurement at all (the server never answered), not a slow machine.
[ "${requests:-0}" -gt 0 ] || { echo "load test: no request was answered" >&2; exit 1; }
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "load test: server unhealthy after $requests requests" >&2; exit 1; }
echo "load test: $requests requests, no errors; $(sed -n 's/^throughput //p' "$work/out"); $(sed -n 's/^\(p50 .*\)$/\1/p' "$work/out"); server still healthy"

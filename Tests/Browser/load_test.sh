#!/usr/bin/env bash
# `make load-test`: wrk (Debian's) against one release server, the server pinned to core 0 and
# wrk to core 1, $CONNECTIONS connections (default 4), in $ROUNDS rounds (default 5) of
# $SECONDS_EACH seconds (default 3) for each of:
#   1. GET /healthz, the framework's own ceiling on this machine (no work behind it);
#   2. POST /api/predict with one CSV image (784 intensities), as the page and scripts send it;
#   3. POST /api/predict with a 28 × 28 PNG of the same digit.
# The rounds interleave the three, so that a slow spell of a shared machine falls on all of them
# alike; the summary gives each one's median throughput and the median of the rounds' ratios of
# predictions to health checks. Fails on any error or non-2xx answer, on no answer at all, or on
# a server no longer healthy afterwards. It does not fail on low throughput: how many requests a
# second a machine answers is reported for a person to judge, not gated.
set -euo pipefail
server=${1:?usage: load_test.sh path/to/digits-server}
command -v wrk >/dev/null || { echo "SKIP: wrk is not installed (apt-get install wrk)"; exit 0; }
seconds=${SECONDS_EACH:-3}
rounds=${ROUNDS:-5}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
taskset -c 0 "$server" --port "$port" --model Resources/digits.safetensors &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
# A vertical stroke: a 1, as 784 intensities, and the same as a PNG (light ink on black).
python3 - "$work" <<'PY'
import struct, sys, zlib
pixels = [255 if 12 <= i % 28 <= 14 and 4 <= i // 28 < 24 else 0 for i in range(784)]
open(f"{sys.argv[1]}/one.csv", "w").write(",".join(map(str, pixels)))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
rows = b"".join(b"\x00" + bytes(pixels[y * 28:(y + 1) * 28]) for y in range(28))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 28, 28, 8, 0, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
open(f"{sys.argv[1]}/one.png", "wb").write(png)
PY

# One wrk run; its Lua script posts $2 (a file) as $3 (a content type), or GETs when $2 is empty.
run() {
  local name=$1 file=$2 type=$3 path=$4
  cat > "$work/$name.lua" <<LUA
local body = nil
if "$file" ~= "" then
  local f = assert(io.open("$file", "rb")); body = f:read("*a"); f:close()
  wrk.method = "POST"; wrk.headers["Content-Type"] = "$type"; wrk.body = body
end
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
  echo "== $name: ${file:+POST }${file:-GET} $path"
  taskset -c 1 wrk -t1 -c"${CONNECTIONS:-4}" -d"${seconds}s" --latency -s "$work/$name.lua" "http://127.0.0.1:$port$path" | tee "$work/$name.out"
  grep -q "errors: connect 0 read 0 write 0 status 0 timeout 0" "$work/$name.out" || { echo "load test: $name: errors" >&2; exit 1; }
  local requests
  requests=$(sed -n 's/^requests \([0-9]*\),.*/\1/p' "$work/$name.out")
  # Zero requests is no measurement at all (the server never answered), not a slow machine.
  [ "${requests:-0}" -gt 0 ] || { echo "load test: $name: no request was answered" >&2; exit 1; }
}

for round in $(seq "$rounds"); do
  run "healthz-$round" "" "" /healthz
  run "csv-$round" "$work/one.csv" text/csv /api/predict
  run "png-$round" "$work/one.png" image/png /api/predict
done
curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "load test: server unhealthy afterwards" >&2; exit 1; }
python3 - "$work" "$rounds" <<'PY'
import re, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def figure(name, pattern):
    return float(re.search(pattern, open(f"{work}/{name}.out").read(), re.M).group(1))
names = ("healthz", "csv", "png")
rate = {k: [figure(f"{k}-{r}", r"^throughput ([0-9.]+) ") for r in range(1, rounds + 1)] for k in names}
ratio = {k: statistics.median(h / x for h, x in zip(rate["healthz"], rate[k])) for k in ("csv", "png")}
median = {k: statistics.median(v) for k, v in rate.items()}
p50 = statistics.median(figure(f"csv-{r}", r"^p50 ([0-9.]+) ms") for r in range(1, rounds + 1))
print("rounds (requests/s): " + "; ".join(f"{k} " + " ".join(f"{x:.0f}" for x in rate[k]) for k in names))
print(f"load test (medians of {rounds} rounds): healthz {median['healthz']:.0f}/s; CSV predictions {median['csv']:.0f}/s "
      f"({ratio['csv']:.2f}× below healthz); 28×28 PNG predictions {median['png']:.0f}/s ({ratio['png']:.2f}× below); "
      f"CSV p50 {p50:.3f} ms; no errors; server still healthy")
PY

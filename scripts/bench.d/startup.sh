# Section `startup`: time from spawning `cradle serve` on a fresh data folder (so each start
# runs the migrations and loads the demo partnership) to the first successful /healthz.
# Five starts; prints the median (and the fastest and slowest).
#
#   startup_first_response_ms      median
#   startup_first_response_min_ms
#   startup_first_response_max_ms

BENCH_STARTUP_RUNS=${BENCH_STARTUP_RUNS:-5}

bench_startup() {
  local root figures median min max
  need_commands python3:python3
  need_release_binary
  make_temp_dir root
  note "starting Cradle $BENCH_STARTUP_RUNS times on fresh data folders"
  # Python spawns and polls (every 2 ms, perf_counter_ns) so that its own start-up is not
  # counted; it prints "median min max" in ms and each run on stderr.
  figures=$(python3 - "$CRADLE_BIN" "$root" "$BENCH_STARTUP_RUNS" <<'PY'
import os, signal, socket, statistics, subprocess, sys, tempfile, time, urllib.request

binary, root, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def one_start(n):
    data = tempfile.mkdtemp(prefix=f"start{n}-", dir=root)
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    env = dict(os.environ, RUST_LOG="warn")
    env.pop("DATABASE_URL", None)
    with open(os.path.join(data, "cradle.log"), "wb") as log:
        start = time.perf_counter_ns()
        process = subprocess.Popen(
            [binary, "serve", "--addr", f"127.0.0.1:{port}", "--data-dir", data],
            env=env, stdout=log, stderr=log)
        try:
            deadline = start + 30 * 10**9
            while True:
                try:
                    with opener.open(url, timeout=1) as response:
                        if response.status == 200:
                            return (time.perf_counter_ns() - start) / 1e6
                except OSError:
                    pass
                if process.poll() is not None:
                    sys.exit(f"Cradle exited with {process.returncode} before answering; see {log.name}")
                if time.perf_counter_ns() > deadline:
                    sys.exit("Cradle did not answer /healthz within 30 s")
                time.sleep(0.002)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

times = []
for n in range(1, runs + 1):
    ms = one_start(n)
    times.append(ms)
    print(f"bench: start {n}: {ms:.1f} ms", file=sys.stderr)
print(f"{statistics.median(times):.1f} {min(times):.1f} {max(times):.1f}")
PY
  ) || die "the start-up measurement failed"
  read -r median min max <<<"$figures"
  emit startup_first_response_ms "$median"
  emit startup_first_response_min_ms "$min"
  emit startup_first_response_max_ms "$max"
  TARGETS+=("start to first response < 300 ms: startup_first_response_ms")
}

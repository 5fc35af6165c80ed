# Section `soak`: a mixed load on a release Cradle for SOAK_DURATION (default 10m), and
# whether its memory stays flat. The web crate's `soak` example drives it over HTTP on
# 127.0.0.1: six anonymous readers going round the home page, the demo partnership's page,
# service map and need page and toolkit pages; participants joining the demo workshop by its
# code and answering (three at a time, five answers each, then the next); and a site
# administrator uploading a service map (two versions in turn) and a population file, then
# reading the same pages signed in for a second, over and over.
#
#   soak_duration_s
#   soak_rss_start_mb, soak_rss_middle_mb, soak_rss_end_mb   Cradle's VmRSS before the load,
#                                                            half-way and at the end
#   soak_requests, soak_errors                               errors: unexpected statuses,
#                                                            failed connections
#   soak_answers, soak_uploads                               of those, answers and uploads
#                                                            accepted
#   soak_memory_growth_pct, soak_memory_flat                 end against middle; flat = yes
#                                                            when within 10%
#   soak_rss_peak_mb                                         VmHWM at the end

SOAK_DURATION=${SOAK_DURATION:-10m}

bench_soak() {
  local seconds password out example
  need_commands curl:curl python3:python3
  seconds=$(duration_seconds "$SOAK_DURATION")
  [[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 2 ] ||
    die "SOAK_DURATION must be a duration of at least 2 s (e.g. 30s, 10m), not '$SOAK_DURATION'"
  need_release_binary
  note "building the soak example (release)"
  cargo build --quiet --release -p cradle-web --example soak >&2
  example="$(target_dir)/release/examples/soak"
  [ -x "$example" ] || die "no soak example at $example after the build"

  start_cradle
  password="soak-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" | RUST_LOG=warn timeout 60 "$CRADLE_BIN" user --data-dir "$CRADLE_DATA" \
    add --email soak@example.org --name "Soak administrator" --admin --password-stdin >/dev/null ||
    die "could not create the soak administrator's account"
  sleep 1 # let the start settle before reading its memory

  note "mixed load for $seconds s against $CRADLE_URL"
  out=$(SOAK_EMAIL=soak@example.org SOAK_PASSWORD="$password" \
    timeout $((seconds + 120)) "$example" "$CRADLE_URL" "$CRADLE_PID" "$seconds") ||
    die "the soak example failed"
  grep -E '^soak_' <<<"$out" || die "could not read the soak figures"
  emit soak_rss_peak_mb "$(rss_mb "$CRADLE_PID" VmHWM)"
  stop_cradle

  TARGETS+=(
    "memory flat under a mixed load: soak_rss_end_mb within 10% of soak_rss_middle_mb (soak_memory_flat: yes)"
    "no errors under load: soak_errors = 0"
  )
}

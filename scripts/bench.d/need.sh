# Section `need`: how long a need estimate takes, in process and as a page.
#
# The estimate: the readers crate's `need_timing` example, one full estimate over 360
# synthetic areas × every prevalence assumption in the content (median of 50 runs). The page:
# the web crate's `need_page_timing` example, which serves the real application on 127.0.0.1
# over a fresh SQLite database with a 360-area population file imported, signs in, and times
# 300 sequential requests for a five-area partnership's need page (server work plus a
# loopback round trip; the client is in the same process).
#
#   need_estimate_360_areas_ms     median of one full estimate
#   need_page_p50_ms, need_page_p99_ms

bench_need() {
  local out median
  scripts/setup >&2
  note "timing one need estimate over 360 areas (release build of the need_timing example)"
  out=$(cargo run --quiet --release -p cradle-readers --example need_timing) ||
    die "the need_timing example failed"
  printf '%s\n' "$out" >&2
  median=$(sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' <<<"$out")
  [ -n "$median" ] || die "could not read the need_timing example's median"
  emit need_estimate_360_areas_ms "$median"

  note "timing the need page over HTTP (release build of the need_page_timing example)"
  out=$(cargo run --quiet --release -p cradle-web --example need_page_timing) ||
    die "the need_page_timing example failed"
  grep -E '^need_page_p(50|99)_ms: ' <<<"$out" || die "could not read the need page's timings"
  TARGETS+=("need_estimate_360_areas_ms < 50" "need_page_p50_ms < 20")
}

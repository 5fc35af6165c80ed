# Section `search`: full-text search over the toolkit content.
#
#   search index build ms, search p50 us, search p99 us   in-process, from the
#                                                          search_timing example
#   search_page_c1_p50_ms, search_page_c1_p99_ms          the /search result page over
#                                                          HTTP, one connection (target
#                                                          under 20 ms server time)

bench_search() {
  local query
  need_commands wrk:wrk curl:curl
  note "timing the search index in-process"
  cargo run --release --quiet -p cradle-content --example search_timing
  start_cradle
  for query in attachment "perinatal+depression" "Flying+Start"; do
    run_wrk "$CRADLE_URL/search?q=$query" 1
    note "/search?q=$query: p50 $WRK_P50_MS ms, p99 $WRK_P99_MS ms"
  done
  # The last query's figures stand for the page; all three are on stderr.
  emit search_page_c1_p50_ms "$WRK_P50_MS"
  emit search_page_c1_p99_ms "$WRK_P99_MS"
  stop_cradle
}

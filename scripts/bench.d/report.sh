# Section `report`: how long a full report pack takes to make, and the memory it needs.
#
# The report crate's `report_timing` example: a SQLite store with a busy partnership (300
# services, 5 areas with population figures, local indicators, 2 self-assessment rounds of 6
# raters, 50 actions) and a pack of every section; it times reading the picture and building
# the document, then each format (median of 5 runs), and prints the peak resident memory.
#
#   report_gather_ms, report_pdf_ms, report_docx_ms, report_xlsx_ms, report_peak_rss_mb

bench_report() {
  local out
  note "timing a full pack (release build of the report_timing example)"
  out=$(cargo run --quiet --release -p cradle-report --example report_timing) ||
    die "the report_timing example failed"
  grep -E '^report_[a-z_]+: ' <<<"$out" || die "could not read the report timings"
  TARGETS+=("report_pdf_ms < 2000" "report_docx_ms < 500" "report_xlsx_ms < 500")
}

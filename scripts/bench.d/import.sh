# Section `import`: reading and storing a generated service map of 5,000 services in
# process (crates/readers/examples/import_timing.rs, release build): CSV and XLSX parsing,
# then the one-transaction import into a fresh SQLite database, new and again (updates).
#
#   import_read_csv_ms, import_read_xlsx_ms
#   import_store_new_sqlite_ms, import_store_again_sqlite_ms
#   import_csv_total_ms, import_xlsx_total_ms     read + first store

BENCH_IMPORT_SERVICES=${BENCH_IMPORT_SERVICES:-5000}

bench_import() {
  local out
  note "building the import timing example (release)"
  cargo build --release -p cradle-readers --example import_timing >&2
  out=$("$(target_dir)/release/examples/import_timing" "$BENCH_IMPORT_SERVICES") ||
    die "the import timing example failed"
  grep -v '^import_services:' <<<"$out" | while IFS=': ' read -r name value; do
    emit "$name" "$value"
  done
  TARGETS+=("import of $BENCH_IMPORT_SERVICES services < 2000 ms: import_xlsx_total_ms")
}

# Section `workshop`: one workshop with 300 participants answering at once (the web crate's
# `workshop_load` example): answers accepted per second, the latency from an answer's
# submission to its arrival on a connected presenter stream, and answers lost (acknowledged
# but never stored or never streamed). On SQLite with one instance, and on PostgreSQL with
# two instances sharing the database (answers alternate between them; the presenter stream
# is on the first), when CRADLE_TEST_POSTGRES_URL names a server that may create databases.
#
#   workshop_sqlite_answers_per_s, workshop_sqlite_latency_p50_ms, …_p99_ms, …_answers_lost
#   workshop_sqlite_reply_p50_ms, …_p99_ms   how long the participant waited for the reply
#   workshop_postgres_2_instances_…   the same on PostgreSQL
#
# Everything runs on one machine: the 300 simulated participants, both instances and the
# database share its cores, which a real room's phones would not take from the server.

bench_workshop() {
  local out
  scripts/setup >&2
  note "300 participants answering at once on SQLite (release build of the workshop_load example)"
  out=$(cargo run --quiet --release -p cradle-web --example workshop_load -- sqlite) ||
    die "the workshop_load example failed on SQLite"
  grep -E '^workshop_sqlite_' <<<"$out" || die "could not read the SQLite figures"
  TARGETS+=("workshop_sqlite_latency_p99_ms < 250" "workshop_sqlite_answers_lost = 0")
  if [ -n "${CRADLE_TEST_POSTGRES_URL:-}" ]; then
    note "the same on PostgreSQL with two instances"
    out=$(cargo run --quiet --release -p cradle-web --example workshop_load -- postgres) ||
      die "the workshop_load example failed on PostgreSQL"
    grep -E '^workshop_postgres_' <<<"$out" || die "could not read the PostgreSQL figures"
    TARGETS+=("workshop_postgres_2_instances_latency_p99_ms < 250"
      "workshop_postgres_2_instances_answers_lost = 0")
  else
    note "CRADLE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run"
  fi
}

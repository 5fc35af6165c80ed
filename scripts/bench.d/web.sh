# Section `web`: throughput and latency of Cradle's pages against nginx serving the same
# bytes, and Cradle's resident memory before and after the load.
#
# Pages (BENCH_PAGES, a list of these names; default all of them):
#   home         /
#   partnership  the demo partnership's page, /partnerships/ID
#   services     its service map, /partnerships/ID/services
#   need         its need page, /partnerships/ID/need, after a population file (the readers'
#                fixture nomis-mid2023.csv) is imported by a site administrator over HTTP
#   data         a data-heavy page: /glossary when it answers 200, otherwise the partnership
# Each is loaded with wrk at 1, 16 and 64 connections (BENCH_CONNECTIONS) for BENCH_DURATION,
# anonymously, sending Accept-Encoding: gzip as a browser does; then the page's exact body is
# served as a static file by a temporary nginx on the same machine, with gzip on the fly at
# the same level Cradle uses (6, the flate2 default that tower-http uses; nginx's own default
# is 1), and loaded the same way. Runs alternate between the two servers so that other load
# on the machine affects both alike.
#
#   data_page: /path, partnership_page: /path
#   PAGE_body_bytes, PAGE_gzip_bytes, PAGE_nginx_gzip_bytes
#   PAGE_cN_rps, PAGE_cN_p50_ms, PAGE_cN_p99_ms                   Cradle
#   PAGE_nginx_cN_rps, PAGE_nginx_cN_p50_ms, PAGE_nginx_cN_p99_ms  nginx, same bytes
#   PAGE_cN_ratio_to_nginx                                        Cradle rps / nginx rps
#   rss_idle_mb, rss_after_load_mb, rss_peak_mb                   Cradle's VmRSS (peak: VmHWM)

BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-1 16 64}
BENCH_NGINX_GZIP_LEVEL=${BENCH_NGINX_GZIP_LEVEL:-6}
BENCH_PAGES=${BENCH_PAGES:-home partnership services need data}

bench_web() {
  local static page partnership connections rps size
  local -A paths=()
  need_commands wrk:wrk nginx:nginx curl:curl python3:python3
  start_cradle
  sleep 1 # let the start settle before reading its memory
  emit rss_idle_mb "$(rss_mb "$CRADLE_PID")"

  partnership=$(demo_partnership_path)
  emit partnership_page "$partnership"
  for page in $BENCH_PAGES; do
    case "$page" in
      home) paths[$page]=/ ;;
      partnership) paths[$page]=$partnership ;;
      services) paths[$page]=$partnership/services ;;
      need)
        import_demo_population "$partnership"
        paths[$page]=$partnership/need
        ;;
      data)
        paths[$page]=$(choose_data_page "$partnership")
        emit data_page "${paths[$page]}"
        ;;
      *) die "unknown page '$page' in BENCH_PAGES; the pages are home partnership services need data" ;;
    esac
  done

  make_temp_dir static
  mkdir -p "$static/www"
  for page in $BENCH_PAGES; do
    fetch_body "$CRADLE_URL${paths[$page]}" "$static/www/$page.html"
  done
  read -r page _ <<<"$BENCH_PAGES"
  start_nginx "$static" "$page.html"

  for page in $BENCH_PAGES; do
    emit "${page}_body_bytes" "$(wc -c <"$static/www/$page.html")"
    size=$(gzip_bytes "$CRADLE_URL${paths[$page]}")
    emit "${page}_gzip_bytes" "$size"
    size=$(gzip_bytes "$NGINX_URL/$page.html")
    emit "${page}_nginx_gzip_bytes" "$size"
    warm_up "$CRADLE_URL${paths[$page]}"
    warm_up "$NGINX_URL/$page.html"
    for connections in $BENCH_CONNECTIONS; do
      note "$page page, c$connections: Cradle ${paths[$page]}, then nginx ($BENCH_DURATION each; load $(cut -d' ' -f1 /proc/loadavg))"
      run_wrk "$CRADLE_URL${paths[$page]}" "$connections"
      rps=$WRK_RPS
      emit "${page}_c${connections}_rps" "$WRK_RPS"
      emit "${page}_c${connections}_p50_ms" "$WRK_P50_MS"
      emit "${page}_c${connections}_p99_ms" "$WRK_P99_MS"
      run_wrk "$NGINX_URL/$page.html" "$connections"
      emit "${page}_nginx_c${connections}_rps" "$WRK_RPS"
      emit "${page}_nginx_c${connections}_p50_ms" "$WRK_P50_MS"
      emit "${page}_nginx_c${connections}_p99_ms" "$WRK_P99_MS"
      emit "${page}_c${connections}_ratio_to_nginx" "$(ratio "$rps" "$WRK_RPS")"
    done
  done

  emit rss_after_load_mb "$(rss_mb "$CRADLE_PID")"
  emit rss_peak_mb "$(rss_mb "$CRADLE_PID" VmHWM)"
  stop_process "$NGINX_PID"
  stop_cradle

  TARGETS+=(
    "dynamic page throughput >= 50% of nginx static: PAGE_cN_ratio_to_nginx >= 0.50"
    "p99 latency < 10 ms at 16 connections: PAGE_c16_p99_ms"
    "idle resident memory < 40 MB: rss_idle_mb"
  )
}

# The demo partnership's page, /partnerships/ID, from `cradle pages` (the first partnership
# page that visitors may read).
demo_partnership_path() {
  RUST_LOG=warn timeout 60 "$CRADLE_BIN" pages --data-dir "$CRADLE_DATA" | python3 -c '
import json, re, sys
paths = [page["path"] for page in json.load(sys.stdin)
         if re.fullmatch(r"/partnerships/[^/]+", page["path"]) and not page["signed_in"]]
if not paths:
    sys.exit("cradle pages lists no partnership page open to visitors")
print(paths[0])' || die "could not find the demo partnership's page in cradle pages"
}

# Imports the readers' Nomis fixture into the partnership at path $1, as a site administrator
# made for the purpose signing in over HTTP, so that its need page has an estimate to show.
import_demo_population() {
  local partnership=$1 jar password token status
  make_temp_dir jar
  password="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s\n' "$password" | RUST_LOG=warn timeout 60 "$CRADLE_BIN" user --data-dir "$CRADLE_DATA" \
    add --email bench@example.org --name "Bench administrator" --admin --password-stdin >/dev/null || die "could not create the bench administrator"
  token=$(curl -sf --noproxy '*' -c "$jar/cookies" "$CRADLE_URL/sign-in" | csrf_token_in) ||
    die "no token on the sign-in page"
  status=$(curl -s --noproxy '*' -b "$jar/cookies" -c "$jar/cookies" -o /dev/null -w '%{http_code}' \
    -H 'Sec-Fetch-Site: same-origin' --data-urlencode email=bench@example.org \
    --data-urlencode "password=$password" --data-urlencode next= --data-urlencode "csrf_token=$token" \
    "$CRADLE_URL/sign-in")
  [ "$status" = 303 ] || die "signing in for the population import answered $status"
  token=$(curl -sf --noproxy '*' -b "$jar/cookies" "$CRADLE_URL$partnership/population" | upload_token_in) ||
    die "no upload form on $partnership/population"
  status=$(curl -s --noproxy '*' -b "$jar/cookies" -o /dev/null -w '%{http_code}' \
    -H 'Sec-Fetch-Site: same-origin' -F "file=@crates/readers/tests/fixtures/nomis-mid2023.csv;type=text/csv" \
    "$CRADLE_URL$partnership/population?csrf_token=$token")
  [ "$status" = 303 ] || die "the population import answered $status"
  note "imported nomis-mid2023.csv into $partnership for its need page"
}

# The CSRF token of a form (hidden field), or of an upload form (in its action address).
csrf_token_in() { sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1 | grep .; }
upload_token_in() { sed -n 's/.*?csrf_token=\([^"]*\)".*/\1/p' | head -1 | grep .; }

# /glossary when Cradle has it, otherwise the partnership's page ($1).
choose_data_page() {
  local status
  status=$(curl -s --max-time 30 --noproxy '*' -o /dev/null -w '%{http_code}' "$CRADLE_URL/glossary")
  if [ "$status" = 200 ]; then
    echo /glossary
  else
    echo "$1"
  fi
}

# Saves the uncompressed body of a 200 response.
fetch_body() {
  curl -sf --max-time 30 --noproxy '*' -o "$2" "$1" || die "could not fetch $1"
  [ -s "$2" ] || die "$1 answered with an empty body"
}

# The size of the gzip-compressed response body (and a check that it is compressed).
gzip_bytes() {
  local out size encoding
  out=$(curl -sf --max-time 30 --noproxy '*' -H 'Accept-Encoding: gzip' -D - -o /dev/null -w 'size=%{size_download}\n' "$1") ||
    die "could not fetch $1"
  size=$(sed -n 's/^size=//p' <<<"$out")
  encoding=$(tr -d '\r' <<<"$out" | awk -F': *' 'tolower($1) == "content-encoding" { print $2 }')
  [ "$encoding" = gzip ] || note "warning: $1 was not gzip-compressed (Content-Encoding: ${encoding:-none})"
  echo "$size"
}

# A few requests over one connection, so that the first timed run does not pay for cold caches.
warm_up() {
  curl -s --max-time 30 --noproxy '*' -H 'Accept-Encoding: gzip' "$1?warm=[1-50]" >/dev/null || die "could not warm up $1"
}

# Starts a temporary nginx, as the current user, serving folder $1/www on a free port (and
# waits until it serves the file $2 there); all its files live in $1. Sets NGINX_PID and
# NGINX_URL.
start_nginx() {
  local dir=$1 port nginx
  nginx=$(command -v nginx || echo /usr/sbin/nginx)
  port=$(free_port)
  NGINX_URL="http://127.0.0.1:$port"
  mkdir -p "$dir/temp"
  # When we are root, nginx's workers run as nobody: they must be able to read the pages.
  chmod 755 "$dir" "$dir/www"
  chmod 644 "$dir/www"/*
  cat >"$dir/nginx.conf" <<CONF
# worker_processes auto: one worker per core, as Cradle's runtime has one thread per core.
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/temp/client_body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  types { text/html html; }
  default_type application/octet-stream;
  # Cradle keeps a connection open for any number of requests; nginx's default is 1000.
  keepalive_requests 1000000;
  # Cradle compresses each response on the fly at level 6; so does nginx here.
  gzip on;
  gzip_comp_level $BENCH_NGINX_GZIP_LEVEL;
  server {
    listen 127.0.0.1:$port;
    root $dir/www;
  }
}
CONF
  "$nginx" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >"$dir/nginx.out" 2>&1 &
  NGINX_PID=$!
  CLEANUP_PIDS+=("$NGINX_PID")
  if ! wait_for_url "$NGINX_URL/$2" 10; then
    cat "$dir/nginx.out" "$dir/error.log" >&2 2>/dev/null || true
    die "nginx did not answer at $NGINX_URL within 10 s"
  fi
  note "nginx $("$nginx" -v 2>&1 | sed 's/.*\///') serving the same bytes at $NGINX_URL (worker_processes auto = $(nproc) workers, gzip level $BENCH_NGINX_GZIP_LEVEL)"
}

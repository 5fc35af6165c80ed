//! Structured logs on standard error: readable text by default, JSON lines on request.
//! `RUST_LOG` adjusts levels (default: info for Cradle, warnings for libraries).

use tracing_subscriber::EnvFilter;

pub(crate) fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("warn,cradle=info,cradle_web=info,cradle_store=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if json {
        builder.json().flatten_event(true).init();
    } else {
        builder.compact().init();
    }
}

//! Server-sent event streams that carry the store's live messages to open pages.
//!
//! A stream lives as long as its page stays open, so graceful shutdown would wait for
//! ever; [`LiveStreams`] ends every stream when the server starts shutting down.

use std::convert::Infallible;
use std::future::Future;

use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use cradle_store::{LiveMessage, Subscription};
use tokio::sync::watch;

use crate::AppState;

/// Tells open event streams that the server is shutting down.
#[derive(Clone, Debug)]
pub struct LiveStreams {
    ending: watch::Sender<bool>,
}

impl Default for LiveStreams {
    fn default() -> Self {
        Self {
            ending: watch::Sender::new(false),
        }
    }
}

impl LiveStreams {
    /// Ends every open stream (and any opened later).
    pub fn end(&self) {
        self.ending.send_replace(true);
    }

    async fn ended(mut ending: watch::Receiver<bool>) {
        // An error means the sender is gone, which also means the server is stopping.
        let _ = ending.wait_for(|ended| *ended).await;
    }
}

/// Streams `subscription` to the browser as server-sent events: `render` turns each live
/// message into an event (or `None` to send nothing), and a comment is sent every 15
/// seconds so that proxies keep the connection open. The stream ends when the store
/// closes or the server shuts down.
pub fn sse<F, Fut>(state: &AppState, subscription: Subscription, render: F) -> Response
where
    F: FnMut(LiveMessage) -> Fut + Send + 'static,
    Fut: Future<Output = Option<Event>> + Send,
{
    let ending = state.live_streams.ending.subscribe();
    let events = futures_util::stream::unfold(
        (subscription, render, ending),
        |(mut subscription, mut render, ending)| async move {
            loop {
                let message = tokio::select! {
                    message = subscription.next() => message?,
                    () = LiveStreams::ended(ending.clone()) => return None,
                };
                if let Some(event) = render(message).await {
                    return Some((Ok::<_, Infallible>(event), (subscription, render, ending)));
                }
            }
        },
    );
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}

#[cfg(test)]
mod tests {
    // Test code: a panic is how a test fails.
    #![allow(clippy::unwrap_used)]

    use std::sync::Arc;
    use std::time::Duration;

    use axum::Router;
    use axum::extract::State;
    use axum::routing::get;
    use cradle_store::testing::TestDb;

    use super::*;
    use crate::WebConfig;

    async fn events(State(state): State<AppState>) -> Response {
        let subscription = state.store.subscribe("topic").await.unwrap();
        sse(&state, subscription, |message| async move {
            match message {
                LiveMessage::Message(text) => Some(Event::default().event("changed").data(text)),
                LiveMessage::Missed => None,
            }
        })
    }

    /// Reads the response body until it contains `expected`.
    async fn read_until(response: &mut reqwest::Response, expected: &str) -> String {
        let mut seen = String::new();
        while !seen.contains(expected) {
            let chunk = tokio::time::timeout(Duration::from_secs(10), response.chunk())
                .await
                .expect("more of the stream within 10 seconds")
                .unwrap()
                .expect("the stream is still open");
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        seen
    }

    #[tokio::test]
    async fn a_published_message_reaches_an_open_stream_which_ends_at_shutdown() {
        let db = TestDb::sqlite().await;
        let content = Arc::new(cradle_content::embedded().unwrap());
        let state = AppState::new(db.store.clone(), content, WebConfig::default());
        let app = Router::new()
            .route("/events", get(events))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let live_streams = state.live_streams.clone();
        let server = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    stopped.await.ok();
                    live_streams.end();
                })
                .await
        });

        let mut response = reqwest::get(format!("http://{address}/events"))
            .await
            .unwrap();
        assert_eq!(
            response.headers()["content-type"],
            "text/event-stream",
            "an event stream"
        );
        // The subscription is made before the response starts, so this is not lost.
        db.store.publish("topic", "answer:42").await.unwrap();
        db.store.publish("other", "answer:43").await.unwrap();
        db.store.publish("topic", "answer:44").await.unwrap();
        let seen = read_until(&mut response, "answer:44").await;
        assert!(
            seen.contains("event: changed\ndata: answer:42\n\n"),
            "{seen}"
        );
        assert!(!seen.contains("answer:43"), "{seen}");

        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(10), server)
            .await
            .expect("shutdown does not wait for the open stream")
            .unwrap()
            .unwrap();
        db.finish().await;
    }
}

//! Live messages: a change on one Cradle instance reaches every instance's open pages.
//!
//! On PostgreSQL a message goes out with `pg_notify` and comes back through one `LISTEN`
//! connection per instance, so several stateless instances behind a load balancer all
//! hear it (the publisher hears its own message the same way). On SQLite there is only
//! one instance, so an in-process channel serves. Messages are small signals (ids, not
//! content): a subscriber reads the current state from the store when one arrives.

use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::PgListener;
use sqlx::{PgConnection, PgPool};
use tokio::sync::{OnceCell, broadcast};

use crate::Store;
use crate::StoreError;
use crate::backend::Backend;

/// The PostgreSQL notification channel that carries every topic.
const CHANNEL: &str = "cradle_live";
/// Messages buffered per subscriber before a slow one is told it missed some.
const BUFFER: usize = 4096;
/// The most a topic and message may hold together (PostgreSQL's own limit is 8000
/// bytes; messages are meant to be ids, so a large one is a mistake).
pub const MAX_MESSAGE_BYTES: usize = 1024;

/// What a subscriber receives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveMessage {
    /// A message published on the subscribed topic.
    Message(String),
    /// Some messages may have been lost (a slow subscriber, or a dropped database
    /// connection): re-read the whole state rather than rely on what has arrived.
    Missed,
}

#[derive(Debug)]
enum Signal {
    Published {
        topic: String,
        message: String,
    },
    /// Every subscriber may have missed messages.
    Gap,
}

/// The in-process side of live messages, shared by clones of one [`Store`].
#[derive(Debug, Clone)]
pub(crate) struct LiveHub {
    sender: broadcast::Sender<Arc<Signal>>,
    /// On PostgreSQL, the `LISTEN` task, started by the first subscription.
    listening: Arc<OnceCell<()>>,
}

impl LiveHub {
    pub(crate) fn new() -> Self {
        Self {
            sender: broadcast::channel(BUFFER).0,
            listening: Arc::new(OnceCell::new()),
        }
    }

    fn deliver(&self, signal: Signal) {
        // No subscriber is not an error: nobody is watching.
        let _ = self.sender.send(Arc::new(signal));
    }
}

/// The messages published on one topic since [`Store::subscribe`] returned.
#[derive(Debug)]
pub struct Subscription {
    topic: String,
    receiver: broadcast::Receiver<Arc<Signal>>,
}

impl Subscription {
    /// The next message on this subscription's topic; `None` once the store is closed.
    pub async fn next(&mut self) -> Option<LiveMessage> {
        loop {
            match self.receiver.recv().await {
                Ok(signal) => match signal.as_ref() {
                    Signal::Published { topic, message } if *topic == self.topic => {
                        return Some(LiveMessage::Message(message.clone()));
                    }
                    Signal::Published { .. } => continue,
                    Signal::Gap => return Some(LiveMessage::Missed),
                },
                Err(broadcast::error::RecvError::Lagged(_)) => return Some(LiveMessage::Missed),
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

impl Store {
    /// Sends `message` to every subscriber of `topic` on every instance. A topic may not
    /// contain a line break; topic and message together must fit [`MAX_MESSAGE_BYTES`].
    pub async fn publish(&self, topic: &str, message: &str) -> Result<(), StoreError> {
        let messages = [(topic, message)];
        match &self.backend {
            Backend::Sqlite(_) => self.publish_in_process(&messages),
            Backend::Postgres(pool) => pool.acquire().await?.publish_all_on(self, &messages).await,
        }
    }

    /// Delivers each `(topic, message)` to this instance's subscribers (SQLite's only
    /// way), once all are checked.
    fn publish_in_process(&self, messages: &[(&str, &str)]) -> Result<(), StoreError> {
        for (topic, message) in messages {
            check_message(topic, message)?;
        }
        for (topic, message) in messages {
            self.live.deliver(Signal::Published {
                topic: (*topic).to_owned(),
                message: (*message).to_owned(),
            });
        }
        Ok(())
    }

    /// Listens for messages on `topic`. Every message published after this returns is
    /// delivered, in order, unless [`LiveMessage::Missed`] says otherwise.
    pub async fn subscribe(&self, topic: &str) -> Result<Subscription, StoreError> {
        // Subscribe before listening starts, so nothing published in between is lost.
        let receiver = self.live.sender.subscribe();
        if let Backend::Postgres(pool) = &self.backend {
            self.live
                .listening
                .get_or_try_init(|| start_listening(pool.clone(), &self.live))
                .await?;
        }
        Ok(Subscription {
            topic: topic.to_owned(),
            receiver,
        })
    }
}

/// Refuses a topic with a line break, or a topic and message over [`MAX_MESSAGE_BYTES`].
fn check_message(topic: &str, message: &str) -> Result<(), StoreError> {
    if topic.contains('\n') || topic.len() + message.len() > MAX_MESSAGE_BYTES {
        return Err(StoreError::LiveMessage {
            topic: topic.chars().take(80).collect(),
        });
    }
    Ok(())
}

/// Publishing on a connection already held (after its transaction has committed): one
/// statement for a whole batch of new answers.
pub(crate) trait PublishOn {
    /// Publishes each `(topic, message)`, in order.
    async fn publish_all_on(
        &mut self,
        store: &Store,
        messages: &[(&str, &str)],
    ) -> Result<(), StoreError>;
}

impl PublishOn for sqlx::SqliteConnection {
    async fn publish_all_on(
        &mut self,
        store: &Store,
        messages: &[(&str, &str)],
    ) -> Result<(), StoreError> {
        store.publish_in_process(messages)
    }
}

impl PublishOn for PgConnection {
    async fn publish_all_on(
        &mut self,
        _store: &Store,
        messages: &[(&str, &str)],
    ) -> Result<(), StoreError> {
        let mut payloads = Vec::with_capacity(messages.len());
        for (topic, message) in messages {
            check_message(topic, message)?;
            payloads.push(format!("{topic}\n{message}"));
        }
        // One statement, so one transaction: the messages arrive together, in order. A
        // notification need not wait for the disk (it is lost with the server anyway, and
        // subscribers are told), so its commit does not.
        sqlx::query(
            "SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, payload)
             FROM unnest($2::text[]) WITH ORDINALITY AS message (payload, position)
             ORDER BY position",
        )
        .bind(CHANNEL)
        .bind(payloads)
        .execute(self)
        .await?;
        Ok(())
    }
}

/// Opens the instance's `LISTEN` connection and forwards notifications to the hub until
/// the pool closes or every clone of the store is gone.
async fn start_listening(pool: PgPool, hub: &LiveHub) -> Result<(), StoreError> {
    let mut listener = PgListener::connect_with(&pool).await?;
    listener.listen(CHANNEL).await?;
    let sender = hub.sender.downgrade();
    tokio::spawn(async move {
        loop {
            let signal = match listener.try_recv().await {
                Ok(Some(notification)) => match notification.payload().split_once('\n') {
                    Some((topic, message)) => Signal::Published {
                        topic: topic.to_owned(),
                        message: message.to_owned(),
                    },
                    None => continue,
                },
                // The connection dropped and was made again: anything sent meanwhile is lost.
                Ok(None) => Signal::Gap,
                Err(sqlx::Error::PoolClosed) => return,
                Err(error) => {
                    tracing::warn!(%error, "live messages: listening failed; retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    Signal::Gap
                }
            };
            let Some(sender) = sender.upgrade() else {
                return;
            };
            let _ = sender.send(Arc::new(signal));
        }
    });
    Ok(())
}

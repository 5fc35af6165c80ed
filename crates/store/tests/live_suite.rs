//! Live messages: what one part of Cradle publishes reaches every subscriber of the topic,
//! in order, on SQLite and on PostgreSQL, and on PostgreSQL across instances.

// Test code: a panic is how a test fails.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use cradle_store::testing::TestDb;
use cradle_store::{
    LiveMessage, MAX_MESSAGE_BYTES, Store, StoreError, Subscription, backend_suite,
};

backend_suite!(
    messages_reach_every_subscriber_of_their_topic_in_order,
    other_topics_are_not_delivered,
    an_oversized_or_badly_formed_message_is_refused,
);

/// Waits for the next message, failing the test rather than hanging if none comes.
async fn next(subscription: &mut Subscription) -> LiveMessage {
    tokio::time::timeout(Duration::from_secs(10), subscription.next())
        .await
        .expect("a live message within 10 seconds")
        .expect("the subscription is open")
}

async fn messages_reach_every_subscriber_of_their_topic_in_order(store: &Store) {
    let mut first = store.subscribe("workshop:7").await.unwrap();
    let mut second = store.subscribe("workshop:7").await.unwrap();
    for n in 0..300 {
        store
            .publish("workshop:7", &format!("answer:{n}"))
            .await
            .unwrap();
    }
    for subscription in [&mut first, &mut second] {
        for n in 0..300 {
            assert_eq!(
                next(subscription).await,
                LiveMessage::Message(format!("answer:{n}"))
            );
        }
    }
}

async fn other_topics_are_not_delivered(store: &Store) {
    let mut subscription = store.subscribe("workshop:1").await.unwrap();
    store.publish("workshop:2", "answer:1").await.unwrap();
    store.publish("workshop:10", "answer:2").await.unwrap();
    store.publish("workshop:1", "answer:3").await.unwrap();
    assert_eq!(
        next(&mut subscription).await,
        LiveMessage::Message("answer:3".into())
    );
}

async fn an_oversized_or_badly_formed_message_is_refused(store: &Store) {
    let long = "x".repeat(MAX_MESSAGE_BYTES);
    assert!(matches!(
        store.publish("workshop:1", &long).await,
        Err(StoreError::LiveMessage { .. })
    ));
    assert!(matches!(
        store.publish("workshop\n1", "answer:1").await,
        Err(StoreError::LiveMessage { .. })
    ));
}

/// Tests that need the whole test database, to open a second instance on it.
mod across_instances {
    use super::*;

    backend_suite!(
        runner = super::run_with_db;
        a_message_published_on_one_instance_reaches_another,
    );

    async fn run_with_db(db: TestDb, test: impl AsyncFnOnce(&TestDb)) {
        test(&db).await;
        db.finish().await;
    }

    async fn a_message_published_on_one_instance_reaches_another(db: &TestDb) {
        // SQLite runs as a single instance, so there is no second one to reach.
        let Some(other) = db.second_instance().await else {
            return;
        };
        let mut here = db.store.subscribe("workshop:3").await.unwrap();
        let mut there = other.subscribe("workshop:3").await.unwrap();
        db.store.publish("workshop:3", "answer:1").await.unwrap();
        other.publish("workshop:3", "answer:2").await.unwrap();
        for subscription in [&mut here, &mut there] {
            // Each instance's messages arrive in order; the two instances' may interleave.
            let mut received = vec![next(subscription).await, next(subscription).await];
            received.sort_by_key(|message| format!("{message:?}"));
            assert_eq!(
                received,
                [
                    LiveMessage::Message("answer:1".into()),
                    LiveMessage::Message("answer:2".into())
                ]
            );
        }
        other.close().await;
    }
}

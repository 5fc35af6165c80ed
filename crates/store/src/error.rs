use thiserror::Error;

/// What can go wrong talking to the database.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("could not open the database at {location}: {source}")]
    Connect {
        location: String,
        #[source]
        source: sqlx::Error,
    },
    #[error("could not bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value no longer fits the domain's rules (for example a hand-edited row).
    #[error("stored {what} is not valid: {detail}")]
    Corrupt { what: &'static str, detail: String },
    /// An account already uses this email address.
    #[error("an account already uses this email address")]
    EmailTaken,
    /// Another service of the partnership already has this key.
    #[error("another service in this partnership already has this key")]
    KeyTaken,
    /// Another report pack of the partnership already has this name.
    #[error("another pack in this partnership already has this name")]
    PackNameTaken,
    /// The gap in the gap register already has an action.
    #[error("this gap already has an action")]
    GapHasAction,
    /// The change would leave a partnership without an owner.
    #[error("a partnership must keep at least one owner")]
    LastOwner,
    /// The invitation is unknown, expired, already used or withdrawn.
    #[error("this invitation cannot be used")]
    InvitationUnusable,
    /// The password reset link is unknown, expired or already used.
    #[error("this password reset link cannot be used")]
    ResetUnusable,
    /// The self-assessment round is closed to further answers.
    #[error("this self-assessment round is closed")]
    RoundClosed,
    /// The record addressed (a partnership, member, invitation or account) does not exist.
    #[error("not found")]
    NotFound,
    /// A batch of participants' answers could not be stored (none of it was).
    #[error("answers could not be stored: {0}")]
    AnswersNotStored(String),
    /// A live message was too long or had a line break in its topic (a programming error).
    #[error("the live message on topic {topic:?} is too long or badly formed")]
    LiveMessage { topic: String },
}

//! Cradle's storage: one interface, two real backends.
//!
//! SQLite is the embedded default (one file, WAL, foreign keys on); PostgreSQL serves
//! deployments with several stateless instances. Each backend has its own migrations
//! folder, run at start-up. Queries are written once where the SQL is the same on both
//! (`$1` placeholders, `RETURNING` and `ON CONFLICT` work on each) and run through
//! [`on_backend!`], which expands the body once per concrete pool type. Steps that several
//! transactions share are functions taking a `Conn` (either backend's
//! connection).

mod actions;
mod audit;
mod backend;
mod db_time;
mod error;
mod geography;
mod indicators;
mod invitations;
mod live;
mod memberships;
mod partnerships;
mod personal_data;
mod population;
mod readiness;
mod reports;
mod resets;
mod self_assessment;
mod services;
mod sessions;
#[cfg(feature = "testing")]
pub mod testing;
mod throttle;
mod users;
mod walkthroughs;
mod workshops;

pub use actions::StoredAction;
pub use audit::{Actor, AuditEntry, DELETED_ACCOUNT_LABEL, SYSTEM_ACTOR_LABEL};
pub use backend::{DatabaseKind, Store, redact_password};
pub use error::StoreError;
pub use geography::{GeographyLookup, StoredGeographyLink};
pub use indicators::{IndicatorImport, StoredIndicatorValue};
pub use invitations::Invitation;
pub use live::{LiveMessage, MAX_MESSAGE_BYTES, Subscription};
pub use memberships::Member;
pub use population::{
    BIRTHS_LAYOUT, NeedOverride, NewNeedOverride, PopulationImport, StoredAreaPopulation,
};
pub use readiness::Readiness;
pub use reports::{SnapshotFile, SnapshotSummary, StoredPack};
pub use self_assessment::{Rater, Round};
pub use services::{ImportSummary, StoredService};
pub use sessions::StoredSession;
pub use users::{NewUser, User};
pub use walkthroughs::{ScenarioRef, StoredFinding, StoredScenario, StoredWalkthrough};
pub use workshops::{
    AnswerRefused, Cluster, Decision, MoveRefused, Participant, StoredAnswer, StoredItem,
    StoredVote, StoredWorkshop,
};

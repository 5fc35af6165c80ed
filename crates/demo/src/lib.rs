//! The demo partnership ("Tees Valley demo partnership"), filled so that a newcomer sees
//! every part of Cradle with something in it: the real ONS mid-2023 population of its five
//! areas, and invented services, indicators, self-assessment rounds, a walk-through, a
//! finished and a running workshop, actions and a report pack.
//!
//! Everything is loaded through the readers and store functions the pages use, so the demo
//! passes the same checks as anything a partnership enters. The CLI loads it on a new
//! database ([`load_once`]) and replaces it on `cradle demo reset` ([`reset`]); web tests
//! that need only the running workshop call [`load_running_workshop`].
//!
//! Changes are made by a demo account ([`DEMO_ACCOUNT_NAME`]), which cannot sign in until
//! an administrator gives it a password, so that the audit log and "imported by" lines
//! name someone.

mod account;
mod indicators;
mod population;
mod self_assessment;
mod services;
mod walkthrough;
mod workshops;

use cradle_content::Content;
use cradle_domain::partnership::Partnership;
use cradle_report::DemoPackError;
use cradle_store::{Store, StoreError};
use time::Date;

pub use account::{DEMO_ACCOUNT_EMAIL, DEMO_ACCOUNT_NAME};
pub use workshops::{DEMO_JOIN_CODE, load_running_workshop};

/// The label every invented figure's source carries.
pub const INVENTED: &str = "Invented example values for the Cradle demo";

/// Why the demo could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bundled file did not read (a mistake in the demo's data).
    #[error("the demo's file {file} could not be read: {problems}")]
    Read {
        file: &'static str,
        problems: String,
    },
    /// Something the demo writes broke a rule (a mistake in the demo's data).
    #[error("the demo's {what} is not valid: {detail}")]
    Invalid { what: &'static str, detail: String },
    #[error("could not make the demo's report pack: {0}")]
    Pack(#[from] DemoPackError),
}

impl DemoError {
    pub(crate) fn invalid(what: &'static str, detail: impl std::fmt::Debug) -> Self {
        Self::Invalid {
            what,
            detail: format!("{detail:?}"),
        }
    }
}

/// Loads the whole demo partnership the first time this database is started, and never
/// again (several instances starting at once load one demo between them). Returns the
/// demo if it was loaded now.
pub async fn load_once(
    store: &Store,
    content: &Content,
    today: Date,
) -> Result<Option<Partnership>, DemoError> {
    let Some(demo) = store
        .load_demo_once(&cradle_domain::demo::partnership())
        .await?
    else {
        return Ok(None);
    };
    fill(store, content, &demo, today).await?;
    Ok(Some(demo))
}

/// Deletes every demo partnership and loads a fresh one; other partnerships are untouched.
pub async fn reset(
    store: &Store,
    content: &Content,
    today: Date,
) -> Result<Partnership, DemoError> {
    let demo = store
        .replace_demo(&cradle_domain::demo::partnership())
        .await?;
    fill(store, content, &demo, today).await?;
    Ok(demo)
}

/// Fills a new, empty demo partnership with everything, its report pack last so that the
/// pack's snapshot shows the rest.
async fn fill(
    store: &Store,
    content: &Content,
    demo: &Partnership,
    today: Date,
) -> Result<(), DemoError> {
    let actor = account::actor(store).await?;
    population::load(store, &actor, demo).await?;
    population::local_figure(store, &actor, content, demo).await?;
    let services = services::load(store, &actor, demo, today).await?;
    indicators::load(store, &actor, demo).await?;
    self_assessment::load(store, &actor, content, demo).await?;
    walkthrough::load(store, &actor, content, demo, &services, today).await?;
    workshops::load_finished(store, &actor, content, demo, today).await?;
    load_running_workshop(store, content, &demo.id).await?;
    workshops::fill_running(store, &actor, &demo.id, today).await?;
    cradle_report::load_demo_pack(store, content, demo, today).await?;
    Ok(())
}

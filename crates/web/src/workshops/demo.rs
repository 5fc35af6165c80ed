//! The demo partnership's example workshop.

use cradle_domain::workshop::{self as rules, Answer, JoinCode, WorkshopDetails};

use super::planning::template_items;
use crate::shared::error::AppError;

/// The demo partnership's example workshop: the shared understanding template, running at
/// its first item, with two invented participants' notes, so that a newcomer (and the
/// browser check) can see the presenter and participant pages. Join code `TEESVA`.
pub async fn load_demo_workshop(
    store: &cradle_store::Store,
    content: &cradle_content::Content,
    partnership_id: &str,
) -> Result<(), AppError> {
    let Some(template) = rules::template("shared-understanding") else {
        return Ok(());
    };
    let items = template_items(content, template)?;
    let details = WorkshopDetails {
        title: "Demo: building a shared understanding".into(),
        date: None,
        purpose: template.purpose.into(),
    };
    let code: JoinCode = DEMO_JOIN_CODE
        .parse()
        .map_err(|_| AppError::Internal("the demo join code is not valid".into()))?;
    let id = store
        .create_demo_workshop(partnership_id, &details, Some(template.id), &items, &code)
        .await?;
    let first = store
        .workshop_items(&id)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::Internal("the demo workshop has no items".into()))?;
    for (name, profession, note) in [
        (
            "Demo participant",
            "Health visitor",
            "Calm, curious, connected",
        ),
        (
            "",
            "Early years practitioner",
            "Feels safe with the people who care for them",
        ),
    ] {
        let details = rules::ParticipantDetails::validate(name, profession)
            .map_err(|_| AppError::Internal("demo participant".into()))?;
        let participant = store.join_workshop(&id, &details).await?;
        store
            .submit_answer(&id, &participant.id, &first.id, &Answer::Note(note.into()))
            .await
            .map_err(|error| AppError::Internal(format!("demo answer: {error}")))?;
    }
    Ok(())
}

/// The demo workshop's join code.
pub const DEMO_JOIN_CODE: &str = "TEESVA";

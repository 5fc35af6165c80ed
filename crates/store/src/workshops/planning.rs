//! Planning a workshop: making, changing and deleting it, and its agenda.

use cradle_domain::workshop::{AgendaItem, JoinCode, Phase, WorkshopDetails};
use serde_json::json;

use super::rows::{
    ItemRow, WorkshopRow, details_json, insert_item, item_from_row, item_json, items_of, new_id,
    position_i64, renumber, select_items, select_workshops, workshop_from_row, workshop_in,
};
use super::{StoredItem, StoredWorkshop};
use crate::audit::{Actor, AuditRecord, insert_audit};
use crate::backend::{AsConn, on_backend};
use crate::db_time::{DbTime, now};
use crate::partnerships::lock_partnership;
use crate::{Store, StoreError};

impl Store {
    /// A partnership's workshops, newest first.
    pub async fn workshops(&self, partnership_id: &str) -> Result<Vec<StoredWorkshop>, StoreError> {
        let rows: Vec<WorkshopRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_workshops!(
                "WHERE partnership_id = $1 ORDER BY created_at DESC, id"
            ))
            .bind(partnership_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(workshop_from_row).collect()
    }

    /// One workshop of a partnership, or `None` (also for another partnership's).
    pub async fn workshop(
        &self,
        partnership_id: &str,
        id: &str,
    ) -> Result<Option<StoredWorkshop>, StoreError> {
        let row: Option<WorkshopRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_workshops!("WHERE partnership_id = $1 AND id = $2"))
                .bind(partnership_id)
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(workshop_from_row).transpose()
    }

    /// The workshop a participant has joined (no partnership is known to them).
    pub async fn workshop_by_id(&self, id: &str) -> Result<Option<StoredWorkshop>, StoreError> {
        let row: Option<WorkshopRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_workshops!("WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(workshop_from_row).transpose()
    }

    /// The workshop with this join code.
    pub async fn workshop_by_code(
        &self,
        code: &JoinCode,
    ) -> Result<Option<StoredWorkshop>, StoreError> {
        let row: Option<WorkshopRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_workshops!("WHERE join_code = $1"))
                .bind(code.as_str())
                .fetch_optional(pool)
                .await?
        });
        row.map(workshop_from_row).transpose()
    }

    /// Makes a workshop with its agenda, audited as `workshop.create`.
    /// [`StoreError::KeyTaken`] if another workshop has the join code (make another and
    /// try again); [`StoreError::NotFound`] if there is no such partnership.
    pub async fn create_workshop(
        &self,
        actor: &Actor,
        partnership_id: &str,
        details: &WorkshopDetails,
        template_id: Option<&str>,
        items: &[AgendaItem],
        join_code: &JoinCode,
    ) -> Result<String, StoreError> {
        self.insert_workshop(
            Some(&actor.user_id),
            partnership_id,
            details,
            template_id,
            items,
            join_code,
        )
        .await
    }

    /// Makes the demo partnership's example workshop, already running at its first item,
    /// audited as made by Cradle itself.
    pub async fn create_demo_workshop(
        &self,
        partnership_id: &str,
        details: &WorkshopDetails,
        template_id: Option<&str>,
        items: &[AgendaItem],
        join_code: &JoinCode,
    ) -> Result<String, StoreError> {
        let id = self
            .insert_workshop(None, partnership_id, details, template_id, items, join_code)
            .await?;
        on_backend!(self, |pool| {
            sqlx::query(
                "UPDATE workshops SET phase = 'running', current_position = 0 WHERE id =
                             $1",
            )
            .bind(&id)
            .execute(pool)
            .await?;
        });
        Ok(id)
    }

    async fn insert_workshop(
        &self,
        actor_user_id: Option<&str>,
        partnership_id: &str,
        details: &WorkshopDetails,
        template_id: Option<&str>,
        items: &[AgendaItem],
        join_code: &JoinCode,
    ) -> Result<String, StoreError> {
        let id = new_id();
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let taken: Option<(String,)> =
                sqlx::query_as("SELECT id FROM workshops WHERE join_code = $1")
                    .bind(join_code.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
            if taken.is_some() {
                return Err(StoreError::KeyTaken);
            }
            sqlx::query(
                "INSERT INTO workshops (id, partnership_id, title, workshop_date, purpose,
                     template_id, join_code, phase, current_position, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', NULL, $8, $8)",
            )
            .bind(&id)
            .bind(partnership_id)
            .bind(&details.title)
            .bind(details.date)
            .bind(&details.purpose)
            .bind(template_id)
            .bind(join_code.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
            for (position, item) in items.iter().enumerate() {
                insert_item(tx.conn(), &new_id(), &id, position, item).await?;
            }
            let mut after = details_json(details);
            after["template"] = json!(template_id);
            after["items"] = json!(items.len());
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "workshop.create", "workshop", &id)
                    .by_user(actor_user_id)
                    .after(after),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Changes a workshop's title, date and purpose, audited as `workshop.update`.
    pub async fn update_workshop(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
        details: &WorkshopDetails,
    ) -> Result<(), StoreError> {
        let at = DbTime::from(now());
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let before = workshop_in(tx.conn(), partnership_id, id).await?;
            sqlx::query(
                "UPDATE workshops SET title = $1, workshop_date = $2, purpose = $3, updated_at = $4
                 WHERE id = $5",
            )
            .bind(&details.title)
            .bind(details.date)
            .bind(&details.purpose)
            .bind(at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "workshop.update", "workshop", id)
                    .by(actor)
                    .before(details_json(&before.details))
                    .after(details_json(details)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Deletes a workshop with its agenda, participants, answers, votes, note groups and
    /// decisions, audited as `workshop.delete`. Its actions stay in the partnership's
    /// action log, no longer linked to it. [`StoreError::NotFound`] if the partnership
    /// has no such workshop.
    pub async fn delete_workshop(
        &self,
        actor: &Actor,
        partnership_id: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let before = workshop_in(tx.conn(), partnership_id, id).await?;
            let (answers,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM workshop_answers WHERE workshop_id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            sqlx::query("DELETE FROM workshops WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let mut record = details_json(&before.details);
            record["join_code"] = json!(before.join_code);
            record["answers"] = json!(answers);
            insert_audit(
                tx.conn(),
                AuditRecord::new(partnership_id, "workshop.delete", "workshop", id)
                    .by(actor)
                    .before(record),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// A workshop's agenda, in order.
    pub async fn workshop_items(&self, workshop_id: &str) -> Result<Vec<StoredItem>, StoreError> {
        let rows: Vec<ItemRow> = on_backend!(self, |pool| {
            sqlx::query_as(select_items!(
                "WHERE workshop_id = $1 ORDER BY position, id"
            ))
            .bind(workshop_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(item_from_row).collect()
    }

    /// Adds an item at the end of the agenda, audited as `workshop.item.create`.
    pub async fn add_workshop_item(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        item: &AgendaItem,
    ) -> Result<String, StoreError> {
        let id = new_id();
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in(tx.conn(), partnership_id, workshop_id).await?;
            let (count,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM workshop_items WHERE workshop_id = $1")
                    .bind(workshop_id)
                    .fetch_one(&mut *tx)
                    .await?;
            let position = usize::try_from(count).unwrap_or(usize::MAX);
            insert_item(tx.conn(), &id, workshop_id, position, item).await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    "workshop.item.create",
                    "workshop",
                    workshop_id,
                )
                .by(actor)
                .after(item_json(item)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(id)
    }

    /// Changes an agenda item, audited as `workshop.item.update`.
    pub async fn update_workshop_item(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        item_id: &str,
        item: &AgendaItem,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let _workshop = workshop_in(tx.conn(), partnership_id, workshop_id).await?;
            let items = items_of(tx.conn(), workshop_id).await?;
            let Some(before) = items.iter().find(|stored| stored.id == item_id) else {
                return Err(StoreError::NotFound);
            };
            sqlx::query(
                "UPDATE workshop_items SET kind = $1, reference = $2, title = $3, answer = $4,
                     options = $5, votes = $6, minutes = $7, facilitator_notes = $8,
                     instruction = $9
                 WHERE id = $10",
            )
            .bind(item.kind.id())
            .bind(&item.reference)
            .bind(&item.title)
            .bind(item.answer.id())
            .bind(item.options.join("\n"))
            .bind(i64::from(item.votes))
            .bind(i64::from(item.minutes))
            .bind(&item.facilitator_notes)
            .bind(&item.instruction)
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    "workshop.item.update",
                    "workshop",
                    workshop_id,
                )
                .by(actor)
                .before(item_json(&before.item))
                .after(item_json(item)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Removes an agenda item (with its answers), audited as `workshop.item.delete`. A
    /// running workshop keeps showing the same item where it can.
    pub async fn remove_workshop_item(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        item_id: &str,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let workshop = workshop_in(tx.conn(), partnership_id, workshop_id).await?;
            let items = items_of(tx.conn(), workshop_id).await?;
            let Some(removed) = items.iter().find(|stored| stored.id == item_id) else {
                return Err(StoreError::NotFound);
            };
            sqlx::query("DELETE FROM workshop_items WHERE id = $1")
                .bind(item_id)
                .execute(&mut *tx)
                .await?;
            let rest: Vec<&str> = items
                .iter()
                .filter(|stored| stored.id != item_id)
                .map(|stored| stored.id.as_str())
                .collect();
            renumber(tx.conn(), &rest).await?;
            if let Phase::Running { current } = workshop.phase {
                let current = if current > removed.position {
                    current - 1
                } else {
                    current
                };
                let current = current.min(rest.len().saturating_sub(1));
                let phase = if rest.is_empty() { "draft" } else { "running" };
                sqlx::query("UPDATE workshops SET phase = $1, current_position = $2 WHERE id = $3")
                    .bind(phase)
                    .bind((!rest.is_empty()).then(|| position_i64(current)))
                    .bind(workshop_id)
                    .execute(&mut *tx)
                    .await?;
            }
            insert_audit(
                tx.conn(),
                AuditRecord::new(
                    partnership_id,
                    "workshop.item.delete",
                    "workshop",
                    workshop_id,
                )
                .by(actor)
                .before(item_json(&removed.item)),
            )
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Moves an agenda item one place up (earlier) or down, audited as
    /// `workshop.item.move`. Moving the first item up or the last down changes nothing.
    /// A running workshop keeps showing the item it was showing.
    pub async fn move_workshop_item(
        &self,
        actor: &Actor,
        partnership_id: &str,
        workshop_id: &str,
        item_id: &str,
        up: bool,
    ) -> Result<(), StoreError> {
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            if !lock_partnership(tx.conn(), partnership_id).await? {
                return Err(StoreError::NotFound);
            }
            let workshop = workshop_in(tx.conn(), partnership_id, workshop_id).await?;
            let items = items_of(tx.conn(), workshop_id).await?;
            let Some(from) = items.iter().position(|stored| stored.id == item_id) else {
                return Err(StoreError::NotFound);
            };
            let to = if up {
                from.checked_sub(1)
            } else {
                Some(from + 1).filter(|to| *to < items.len())
            };
            if let Some(to) = to {
                let mut ids: Vec<&str> = items.iter().map(|stored| stored.id.as_str()).collect();
                ids.swap(from, to);
                renumber(tx.conn(), &ids).await?;
                if let Phase::Running { current } = workshop.phase {
                    let current = if current == from {
                        to
                    } else if current == to {
                        from
                    } else {
                        current
                    };
                    sqlx::query("UPDATE workshops SET current_position = $1 WHERE id = $2")
                        .bind(position_i64(current))
                        .bind(workshop_id)
                        .execute(&mut *tx)
                        .await?;
                }
                insert_audit(
                    tx.conn(),
                    AuditRecord::new(
                        partnership_id,
                        "workshop.item.move",
                        "workshop",
                        workshop_id,
                    )
                    .by(actor)
                    .before(json!({ "item": item_id, "position": from }))
                    .after(json!({ "item": item_id, "position": to })),
                )
                .await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }
}

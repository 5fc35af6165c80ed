//! Site-wide geography lookups: which area sits inside which, from the official lookup files
//! a site administrator imports, so that figures roll up from local authority to region,
//! integrated care board, health board and nation.

use cradle_domain::partnership::AreaCode;
use cradle_readers::{GeographyLayout, GeographyTable};
use sqlx::{Database, Pool, QueryBuilder};
use time::OffsetDateTime;

use crate::audit::Actor;
use crate::backend::{on_backend, push_in_list};
use crate::db_time::{DbTime, now};
use crate::{DELETED_ACCOUNT_LABEL, Store, StoreError};

/// Links per multi-row `INSERT` (7 parameters a row).
const LINKS_PER_INSERT: usize = 1000;

/// An imported lookup file.
#[derive(Debug, Clone, PartialEq)]
pub struct GeographyLookup {
    pub id: String,
    pub file_name: String,
    /// `ons` or `mysociety`.
    pub layout: String,
    pub imported_by_label: String,
    pub imported_at: OffsetDateTime,
    pub links: usize,
}

/// One area and the larger area it sits in.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredGeographyLink {
    pub child_code: String,
    pub child_name: String,
    pub child_kind: Option<String>,
    pub parent_code: Option<String>,
    pub parent_name: Option<String>,
    pub parent_kind: Option<String>,
}

#[derive(sqlx::FromRow)]
struct LookupRow {
    id: String,
    file_name: String,
    layout: String,
    imported_at: OffsetDateTime,
    importer_name: Option<String>,
    links: i64,
}

fn builder_for<DB: Database>(_pool: &Pool<DB>, sql: &str) -> QueryBuilder<DB> {
    QueryBuilder::new(sql)
}

fn layout_id(layout: GeographyLayout) -> &'static str {
    match layout {
        GeographyLayout::OnsLookup => "ons",
        GeographyLayout::MySociety => "mysociety",
    }
}

/// Keeps, for each child and kind of parent, the link from the newest lookup. `links`
/// must come newest lookup first.
fn newest_only(links: Vec<StoredGeographyLink>) -> Vec<StoredGeographyLink> {
    let mut seen = std::collections::HashSet::new();
    links
        .into_iter()
        .filter(|link| seen.insert((link.child_code.clone(), link.parent_kind.clone())))
        .collect()
}

impl Store {
    /// Stores a checked lookup, whole or not at all.
    pub async fn import_geography(
        &self,
        actor: &Actor,
        file_name: &str,
        table: &GeographyTable,
    ) -> Result<GeographyLookup, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        let imported_at = now();
        on_backend!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO geography_lookups (id, file_name, layout, imported_by, imported_at)
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&id)
            .bind(file_name)
            .bind(layout_id(table.layout))
            .bind(&actor.user_id)
            .bind(DbTime::from(imported_at))
            .execute(&mut *tx)
            .await?;
            for chunk in table.links.chunks(LINKS_PER_INSERT) {
                let mut insert = builder_for(
                    pool,
                    "INSERT INTO geography_links (lookup_id, child_code, child_name, child_kind,
                         parent_code, parent_name, parent_kind) ",
                );
                insert.push_values(chunk, |mut values, link| {
                    values
                        .push_bind(id.as_str())
                        .push_bind(link.child.as_str())
                        .push_bind(link.child_name.as_str())
                        .push_bind(link.child_kind.as_deref())
                        .push_bind(link.parent.as_ref().map(AreaCode::as_str))
                        .push_bind(link.parent_name.as_deref())
                        .push_bind(link.parent_kind.as_deref());
                });
                insert.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
        });
        let imported_by_label = self.user(&actor.user_id).await?.map_or_else(
            || DELETED_ACCOUNT_LABEL.to_owned(),
            |user| user.display_name,
        );
        Ok(GeographyLookup {
            id,
            file_name: file_name.to_owned(),
            layout: layout_id(table.layout).to_owned(),
            imported_by_label,
            imported_at,
            links: table.links.len(),
        })
    }

    /// Every imported lookup, newest first.
    pub async fn geography_lookups(&self) -> Result<Vec<GeographyLookup>, StoreError> {
        let rows: Vec<LookupRow> = on_backend!(self, |pool| {
            sqlx::query_as(
                "SELECT g.id, g.file_name, g.layout, g.imported_at, u.display_name AS importer_name,
                        (SELECT COUNT(*) FROM geography_links l WHERE l.lookup_id = g.id) AS links
                 FROM geography_lookups g LEFT JOIN users u ON u.id = g.imported_by
                 ORDER BY g.imported_at DESC, g.id",
            )
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|row| GeographyLookup {
                id: row.id,
                file_name: row.file_name,
                layout: row.layout,
                imported_by_label: row
                    .importer_name
                    .unwrap_or_else(|| DELETED_ACCOUNT_LABEL.to_owned()),
                imported_at: row.imported_at,
                links: usize::try_from(row.links).unwrap_or(0),
            })
            .collect())
    }

    /// The larger areas each of `children` sits in (one per kind of larger area, from the
    /// newest lookup that says), in child then kind order.
    pub async fn geography_parents(
        &self,
        children: &[AreaCode],
    ) -> Result<Vec<StoredGeographyLink>, StoreError> {
        if children.is_empty() {
            return Ok(Vec::new());
        }
        let links = on_backend!(self, |pool| {
            let mut select = builder_for(
                pool,
                "SELECT l.child_code, l.child_name, l.child_kind, l.parent_code, l.parent_name,
                     l.parent_kind
                 FROM geography_links l JOIN geography_lookups g ON g.id = l.lookup_id
                 WHERE l.parent_code IS NOT NULL AND l.child_code IN (",
            );
            push_in_list(&mut select, children.iter().map(AreaCode::as_str));
            select.push(" ORDER BY g.imported_at DESC, g.id, l.child_code");
            let links: Vec<StoredGeographyLink> = select.build_query_as().fetch_all(pool).await?;
            links
        });
        let mut links = newest_only(links);
        links.sort_by(|a, b| (&a.child_code, &a.parent_kind).cmp(&(&b.child_code, &b.parent_kind)));
        Ok(links)
    }

    /// Every area inside each of `parents`, by the same rule as [`Self::geography_parents`]:
    /// a child counts in a parent when the newest lookup linking it to that kind of area
    /// says so.
    pub async fn geography_children(
        &self,
        parents: &[AreaCode],
    ) -> Result<Vec<StoredGeographyLink>, StoreError> {
        if parents.is_empty() {
            return Ok(Vec::new());
        }
        let candidates = on_backend!(self, |pool| {
            let mut select = builder_for(
                pool,
                "SELECT l.child_code, l.child_name, l.child_kind, l.parent_code, l.parent_name,
                     l.parent_kind
                 FROM geography_links l JOIN geography_lookups g ON g.id = l.lookup_id
                 WHERE l.parent_code IN (",
            );
            push_in_list(&mut select, parents.iter().map(AreaCode::as_str));
            select.push(" ORDER BY g.imported_at DESC, g.id, l.child_code");
            let links: Vec<StoredGeographyLink> = select.build_query_as().fetch_all(pool).await?;
            links
        });
        // A child moved to another parent by a newer lookup no longer counts here.
        let children: Vec<AreaCode> = candidates
            .iter()
            .filter_map(|link| link.child_code.parse().ok())
            .collect();
        let current = self.geography_parents(&children).await?;
        Ok(newest_only(candidates)
            .into_iter()
            .filter(|link| current.contains(link))
            .collect())
    }
}

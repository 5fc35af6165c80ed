//! Times as the database keeps them.
//!
//! PostgreSQL stores `TIMESTAMPTZ` to the microsecond. SQLite has no time type: sqlx
//! writes RFC 3339 text, which drops trailing zeros of the fraction and so does not sort
//! as text (`…:00Z` sorts after `…:00.5Z`). [`DbTime`] writes UTC to the microsecond at a
//! fixed width on SQLite, so that `expires_at > $1` and `ORDER BY` compare correctly, and
//! rounds to the microsecond on both backends so that a time reads back as it was written.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo, Postgres};
use sqlx::sqlite::{Sqlite, SqliteArgumentsBuffer, SqliteTypeInfo};
use sqlx::{Encode, Type};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

/// Fixed-width RFC 3339 in UTC: 27 characters for every year from 1 to 9999.
const SQLITE_FORMAT: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// A time bound as a query parameter: UTC, truncated to the microsecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DbTime(OffsetDateTime);

impl From<OffsetDateTime> for DbTime {
    fn from(time: OffsetDateTime) -> Self {
        Self(db_time(time))
    }
}

/// `time` in UTC with the precision the database keeps, as it will read back.
pub(crate) fn db_time(time: OffsetDateTime) -> OffsetDateTime {
    let utc = time.to_offset(UtcOffset::UTC);
    let micros = utc.nanosecond() / 1_000;
    // A nanosecond count divided by 1000 and multiplied back is always in range.
    utc.replace_nanosecond(micros * 1_000).unwrap_or(utc)
}

/// The current time as the database will keep it.
pub(crate) fn now() -> OffsetDateTime {
    db_time(OffsetDateTime::now_utc())
}

impl Type<Sqlite> for DbTime {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
}

impl Encode<'_, Sqlite> for DbTime {
    fn encode_by_ref(&self, buf: &mut SqliteArgumentsBuffer) -> Result<IsNull, BoxDynError> {
        Encode::<Sqlite>::encode(self.0.format(SQLITE_FORMAT)?, buf)
    }
}

impl Type<Postgres> for DbTime {
    fn type_info() -> PgTypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for DbTime {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        Encode::<Postgres>::encode_by_ref(&self.0, buf)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use time::macros::datetime;

    #[test]
    fn sqlite_text_sorts_in_time_order() {
        let whole = datetime!(2026-01-02 03:04:05 UTC);
        let later = datetime!(2026-01-02 03:04:05.5 UTC);
        let text = |t: OffsetDateTime| DbTime::from(t).0.format(SQLITE_FORMAT).unwrap();
        assert_eq!(text(whole), "2026-01-02T03:04:05.000000Z");
        assert!(text(whole) < text(later));
        let elsewhere = datetime!(2026-01-02 04:04:05.0000009 +01:00);
        assert_eq!(text(elsewhere), "2026-01-02T03:04:05.000000Z");
    }
}

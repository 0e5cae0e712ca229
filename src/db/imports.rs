//! Imports: the files history entries name as where a change came from.

use sqlx::PgConnection;

use crate::domain::{AccountId, ImportId};

/// One file being imported, as its changes will name it.
pub struct NewImport<'a> {
    pub id: ImportId,
    pub account_id: AccountId,
    pub file_name: &'a str,
    pub file_sha256: &'a [u8],
    pub format: &'a str,
}

pub async fn insert(conn: &mut PgConnection, import: NewImport<'_>) -> sqlx::Result<()> {
    sqlx::query!(
        r#"INSERT INTO imports (id, account_id, file_name, file_sha256, format)
           VALUES ($1, $2, $3, $4, $5)"#,
        import.id as ImportId,
        import.account_id as AccountId,
        import.file_name,
        import.file_sha256,
        import.format,
    )
    .execute(conn)
    .await?;
    Ok(())
}

//! The database roles: the owner, which migrations run as, and the server's
//! role, which owns nothing and holds only the rights the migrations grant
//! `docket_app` (history and the security log: read and add, never change).

use sqlx::{PgConnection, PgExecutor};

/// The role the migrations grant the server's rights to.
pub const SERVER_GROUP: &str = "docket_app";
/// The login role the server connects as where Docket makes it (the private
/// cluster, the tests): a member of [`SERVER_GROUP`] and nothing more.
pub const SERVER_LOGIN: &str = "docket_server";

/// Makes [`SERVER_LOGIN`] if it is missing (the owner's connection, after
/// the migrations): it can log in without a password only where the
/// server's authentication trusts local connections, as the private
/// cluster's does.
pub async fn ensure_server_login(owner: &mut PgConnection) -> sqlx::Result<()> {
    let exists = sqlx::query_scalar!(
        r#"SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1) AS "exists!""#,
        SERVER_LOGIN
    )
    .fetch_one(&mut *owner)
    .await?;
    if !exists {
        let created = sqlx::query(
            "CREATE ROLE docket_server LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE \
             NOREPLICATION NOBYPASSRLS IN ROLE docket_app",
        )
        .execute(&mut *owner)
        .await;
        match created {
            // Made meanwhile by another process: as good.
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42710") => {}
            other => {
                other?;
            }
        }
    }
    Ok(())
}

/// What the role a pool connects as could do beyond the server's rights.
#[derive(Debug, Default)]
pub struct Excess {
    pub role: String,
    pub superuser: bool,
    pub bypasses_row_security: bool,
    /// Tables of the registry it owns (and so may change at will).
    pub owns_tables: i64,
    /// It may change or remove history or security log entries.
    pub changes_history: bool,
}

impl Excess {
    pub fn any(&self) -> bool {
        self.superuser || self.bypasses_row_security || self.owns_tables > 0 || self.changes_history
    }
}

pub async fn excess(ex: impl PgExecutor<'_>) -> sqlx::Result<Excess> {
    sqlx::query_as!(
        Excess,
        r#"SELECT current_user AS "role!", r.rolsuper AS "superuser!",
                  r.rolbypassrls AS "bypasses_row_security!",
                  (SELECT count(*) FROM pg_tables
                    WHERE schemaname IN ('public', 'tower_sessions')
                      AND pg_has_role(current_user, tableowner, 'USAGE')) AS "owns_tables!",
                  EXISTS (SELECT FROM unnest(ARRAY['history', 'security_log']) t,
                                      unnest(ARRAY['UPDATE', 'DELETE', 'TRUNCATE']) p
                           WHERE has_table_privilege(t, p)) AS "changes_history!"
             FROM pg_roles r WHERE r.rolname = current_user"#
    )
    .fetch_one(ex)
    .await
}

//! `factdesk hub …`: create the hub's schema, serve it, invite and revoke members. Each
//! command runs a tokio runtime of its own for `factdesk-hub`; nothing here opens a
//! library file.

use std::sync::Arc;

use factdesk_core::Error;
use factdesk_hub::{server, store, HubError};

use super::args::HubCommand;
use super::Outcome;

/// Connections a serving hub keeps to PostgreSQL.
const DATABASE_CONNECTIONS: usize = 8;

pub(super) fn run(command: HubCommand) -> Result<Outcome, Error> {
    let runtime = tokio::runtime::Runtime::new().map_err(|e| Error::Team(format!("cannot start: {e}")))?;
    runtime.block_on(async move {
        match command {
            HubCommand::Init { database } => {
                let version = store::init(&database).await.map_err(team)?;
                Ok(Outcome::ok(format!("hub schema ready (version {version})\n")))
            }
            HubCommand::Invite { database, workspace, member, role } => {
                let token = store::invite(&database, &workspace, &member, role).await.map_err(team)?;
                // Only the token on stdout, so scripts can take it as it is.
                Ok(Outcome::ok(format!("{token}\n")))
            }
            HubCommand::Revoke { database, workspace, member } => {
                let revoked = store::revoke(&database, &workspace, &member).await.map_err(team)?;
                Ok(Outcome::ok(format!("revoked {revoked} device(s) of {member}\n")))
            }
            HubCommand::Serve { database, listen, tls_cert, tls_key } => {
                let hub = Arc::new(store::Hub::open(&database, DATABASE_CONNECTIONS).await.map_err(team)?);
                if let (Some(cert), Some(key)) = (tls_cert, tls_key) {
                    let listener = server::TlsListener::bind(listen, &cert, &key).await.map_err(team)?;
                    let address = listener.local_addr().map_err(|e| Error::Team(e.to_string()))?;
                    super::print(&format!("hub listening on https://{address}\n"));
                    server::serve(hub, listener, server::stop_requested()).await.map_err(team)?;
                    return Ok(Outcome::ok("hub stopped\n".into()));
                }
                let listener = server::bind(listen).await.map_err(team)?;
                let address = listener.local_addr().map_err(|e| Error::Team(e.to_string()))?;
                // The one line a supervisor (or a test) waits for.
                super::print(&format!("hub listening on http://{address}\n"));
                server::serve(hub, listener, server::stop_requested()).await.map_err(team)?;
                Ok(Outcome::ok("hub stopped\n".into()))
            }
        }
    })
}

pub(super) fn sync_text(report: &factdesk_hub::sync::SyncReport) -> String {
    let mut text = format!(
        "pushed {}, pulled {} ({} replayed, {} of this device's), contested {}\n",
        report.pushed, report.pulled, report.applied.replayed, report.applied.own, report.contested
    );
    if report.applied.not_replayed > 0 {
        text.push_str(&format!(
            "{} event(s) from the hub are kept but not shown: this release cannot replay their kind yet\n",
            report.applied.not_replayed
        ));
    }
    text
}

pub(super) fn status_text(status: &factdesk_core::model::TeamStatus) -> String {
    let Some(link) = &status.link else {
        return "not linked to a team hub (factdesk join HUB_URL --token TOKEN)\n".to_owned();
    };
    format!(
        "{} at {} as {} ({}): {} waiting to be pushed, pulled through hub event {}, contested {}{}\n",
        link.workspace,
        link.hub_url,
        link.member,
        link.role,
        status.waiting,
        link.pulled_seq,
        status.contested,
        if status.not_replayed > 0 { format!(", {} kept but not shown", status.not_replayed) } else { String::new() }
    )
}

fn team(error: HubError) -> Error {
    match error {
        HubError::BadRequest(message) => Error::InvalidInput { field: "hub", message },
        other => Error::Team(other.to_string()),
    }
}

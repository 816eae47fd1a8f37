//! Background sync with the team hub while the window is open: a sync at start, then one
//! every few seconds (`FACTDESK_SYNC_SECONDS`, default 3), off the window's threads. What
//! the last one found is kept for the indicator (`sync_status`); when other members'
//! changes arrived, or the state changed, the window is told (`sync-changed`) and redraws.
//! A library that is not linked to a hub is left alone.

use std::sync::Mutex;
use std::time::Duration;

use factdesk_core::Library;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager};

use crate::commands::LibraryState;

/// What the indicator shows.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SyncView {
    /// `not_linked`, `synced`, `waiting` (changes not pushed yet), `offline` (the hub
    /// cannot be reached or refused) or `contested` (claims wait for an editor).
    pub state: String,
    pub waiting: u64,
    pub contested: u64,
    pub workspace: Option<String>,
    pub member: Option<String>,
    pub role: Option<String>,
    /// Why the last sync failed, when it did.
    pub message: Option<String>,
    /// Other members' events the last sync replayed here.
    pub replayed: u64,
}

#[derive(Default)]
pub struct SyncState(pub Mutex<SyncView>);

/// The view of a library's sync state after a sync that ended with `outcome`.
pub fn view(library: &Library, outcome: Option<Result<u64, String>>) -> SyncView {
    let Ok(status) = library.team_status() else { return SyncView { state: "offline".into(), ..SyncView::default() } };
    let Some(link) = status.link else { return SyncView { state: "not_linked".into(), ..SyncView::default() } };
    let (replayed, message) = match outcome {
        Some(Ok(replayed)) => (replayed, None),
        Some(Err(message)) => (0, Some(message)),
        None => (0, None),
    };
    let state = if message.is_some() {
        "offline"
    } else if status.contested > 0 {
        "contested"
    } else if status.waiting > 0 {
        "waiting"
    } else {
        "synced"
    };
    SyncView {
        state: state.into(),
        waiting: status.waiting,
        contested: status.contested,
        workspace: Some(link.workspace),
        member: Some(link.member),
        role: Some(link.role),
        message,
        replayed,
    }
}

fn interval() -> Duration {
    let seconds = std::env::var("FACTDESK_SYNC_SECONDS").ok().and_then(|s| s.parse::<f64>().ok()).unwrap_or(3.0);
    Duration::from_secs_f64(seconds.clamp(0.2, 3_600.0))
}

/// Runs for the life of the app.
pub fn run(app: AppHandle) {
    let every = interval();
    loop {
        if let Ok(library) = app.state::<LibraryState>().get() {
            if matches!(library.team_link(), Ok(Some(_))) {
                let outcome = factdesk_hub::sync::sync(&library).map(|report| report.applied.replayed).map_err(|e| {
                    tracing::info!(category = e.category(), "sync did not reach the hub");
                    e.one_line()
                });
                let view = view(&library, Some(outcome));
                let state = app.state::<SyncState>();
                let mut kept = state.0.lock().unwrap_or_else(|p| p.into_inner());
                if *kept != view {
                    *kept = view.clone();
                    // An emit failure only means no window listens.
                    let _ = app.emit("sync-changed", view);
                }
            }
        }
        // The period between syncs, not a wait for something to be ready.
        std::thread::sleep(every);
    }
}

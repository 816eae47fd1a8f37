//! Factdesk's desktop shell: opens the library (same file as the CLI), registers the
//! commands the webview may call, and turns files dropped on the window into imports.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod error;
mod logging;
mod sync;

use std::path::PathBuf;

use factdesk_core::{default_actor, default_library_path, Library};
use tauri::{DragDropEvent, Emitter, Manager, WindowEvent};

use commands::{import_dropped, LibraryState};
use error::IpcError;

fn open_library() -> LibraryState {
    let Some(path) = default_library_path() else {
        let message = "no data folder is known for this user; set FACTDESK_DB".to_owned();
        return LibraryState::new(Err(IpcError::Unavailable { message }), PathBuf::new());
    };
    let library = Library::open(&path, default_actor()).map_err(|error| {
        tracing::error!(category = error.category(), "the library could not be opened");
        IpcError::from(error)
    });
    LibraryState::new(library, path)
}

/// WebKitGTK's accelerated compositing costs more than it gives a page of static text:
/// measured under Xvfb (BENCHMARKS.md), turning it off halves the web process's memory
/// (291 → 148 MiB PSS) and a status repaint (51 → 21 ms). A user can still set the
/// variable to 0 to get compositing back.
fn prefer_simple_rendering() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // Safe: called first thing in main, before any other thread exists.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

/// One checked backup a day in `backups/` of the app's data folder, pruned to a week of
/// dailies and eight weeklies (`factdesk_core::rolling_backup`). Logged, never in the way.
fn automatic_backup(state: &LibraryState) {
    let (Ok(library), Some(folder)) = (state.get(), factdesk_core::app_data_folder()) else { return };
    let today = chrono::Utc::now().date_naive();
    match factdesk_core::rolling_backup(&library, &folder.join("backups"), today) {
        Ok(Some(path)) => tracing::info!(path = %path.display(), "automatic backup made and checked"),
        Ok(None) => tracing::info!("today's automatic backup already exists"),
        Err(error) => tracing::warn!(category = error.category(), "automatic backup failed"),
    }
}

fn main() {
    prefer_simple_rendering();
    logging::start();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(open_library())
        .manage(commands::Fetching::default())
        .manage(sync::SyncState::default())
        .setup(|app| {
            // Today's automatic backup, off the window's thread (a large library takes a while).
            let app = app.handle().clone();
            let backups = app.clone();
            std::thread::spawn(move || automatic_backup(&backups.state::<LibraryState>()));
            // Team sync, when the library is linked to a hub.
            std::thread::spawn(move || sync::run(app));
            Ok(())
        })
        .invoke_handler({
            // Registers every command named in `command_list.rs`, the one list of them.
            macro_rules! app_commands {
                ($($command:ident),+ $(,)?) => {
                    tauri::generate_handler![$(commands::$command),+]
                };
            }
            include!("command_list.rs")
        })
        .on_window_event(|window, event| {
            if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                // Off the event loop: a large batch must not freeze the window.
                let app = window.app_handle().clone();
                let paths = paths.clone();
                std::thread::spawn(move || {
                    let state = app.state::<LibraryState>();
                    let report = state.get().and_then(|library| import_dropped(&library, &paths));
                    // The UI shows the outcome; an emit failure only means no window listens.
                    let _ = match report {
                        Ok(report) => app.emit("import-finished", report),
                        Err(error) => app.emit("import-failed", error),
                    };
                });
            }
        })
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("the Factdesk window could not start");
}

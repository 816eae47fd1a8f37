//! End-to-end tests in the app's real window: WebDriver through `tauri-driver` and
//! WebKitWebDriver, under Xvfb. One window at a time: WebKit is heavy on two cores.

mod app;
mod team;
mod webdriver;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use webdriver::Session;

static ONE_WINDOW_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The app binary, built by scripts/test beside the CLI this test binary belongs to.
fn app_binary() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_factdesk")).with_file_name("factdesk-app")
}

/// A window on a fresh library in a temporary folder.
pub struct Window {
    pub session: Session,
    pub dir: tempfile::TempDir,
    _turn: MutexGuard<'static, ()>,
}

impl Window {
    /// Opens the app on `dir`'s `library.sqlite`, which may already hold articles.
    pub fn open_on(dir: tempfile::TempDir) -> Window {
        Window::open_with(dir, &[])
    }

    /// `open_on` with more of the app's environment (an address it may fetch from).
    pub fn open_with(dir: tempfile::TempDir, extra: &[(&str, &str)]) -> Window {
        let turn = ONE_WINDOW_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let db = dir.path().join("library.sqlite");
        let data = dir.path().join("xdg-data");
        let mut env: Vec<(&str, &Path)> =
            vec![("FACTDESK_DB", &db), ("FACTDESK_ACTOR", Path::new("e2e tester")), ("XDG_DATA_HOME", &data)];
        env.extend(extra.iter().map(|(name, value)| (*name, Path::new(*value))));
        let session = Session::start(&app_binary(), &env);
        Window { session, dir, _turn: turn }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("library.sqlite")
    }

    /// Where screenshots go: target/e2e-screenshots/NAME.png.
    pub fn screenshot(&mut self, name: &str) -> PathBuf {
        let folder = Path::new(env!("CARGO_BIN_EXE_factdesk")).with_file_name("e2e-screenshots");
        std::fs::create_dir_all(&folder).unwrap();
        let path = folder.join(format!("{name}.png"));
        self.session.screenshot(&path);
        path
    }
}

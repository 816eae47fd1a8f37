//! Making a test file or folder unwritable, and writable again.

/// Makes a file or folder unwritable for this process (a read-only mode; as root, which
/// ignores modes, the immutable attribute), and writable again when dropped.
pub struct Unwritable(std::path::PathBuf);

impl Unwritable {
    pub fn make(path: &std::path::Path) -> Unwritable {
        use std::os::unix::fs::PermissionsExt;
        let is_folder = path.is_dir();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(if is_folder { 0o555 } else { 0o444 })).unwrap();
        // A folder is writable when a file can be made in it; a file, when it opens for writing.
        let writable = || {
            if is_folder {
                let probe = path.join("probe");
                let made = std::fs::write(&probe, b"x").is_ok();
                let _ = std::fs::remove_file(&probe);
                made
            } else {
                std::fs::OpenOptions::new().write(true).open(path).is_ok()
            }
        };
        if writable() {
            let status = std::process::Command::new("chattr").arg("+i").arg(path).status();
            assert!(status.is_ok_and(|s| s.success()) && !writable(), "cannot make {} read-only here", path.display());
        }
        Unwritable(path.to_owned())
    }
}

impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::process::Command::new("chattr").arg("-i").arg(&self.0).status();
        let mode = if self.0.is_dir() { 0o755 } else { 0o644 };
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(mode));
    }
}

//! tauri-build reads `tauri.conf.json` from this folder, where a symlink points at the
//! one at the top of the repository. Every app command is declared here so that each
//! needs a permission, and the main window's capability grants only those it uses.

macro_rules! app_commands {
    ($($command:ident),+ $(,)?) => {
        const COMMANDS: &[&str] = &[$(stringify!($command)),+];
    };
}
include!("src/command_list.rs");

fn main() {
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    println!("cargo:rerun-if-changed=src/command_list.rs");
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri-build failed");
}

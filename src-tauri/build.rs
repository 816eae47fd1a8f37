//! tauri-build reads `tauri.conf.json` from this folder, where a symlink points at the
//! one at the top of the repository. Every app command is declared here so that each
//! needs a permission, and the main window's capability grants only those it uses.

/// Must match `generate_handler!` in `src/main.rs`.
const COMMANDS: &[&str] = &[
    "library_status",
    "list_articles",
    "open_article",
    "search",
    "list_claims",
    "flag_claim",
    "set_status",
    "edit_claim",
    "remove_claim",
    "add_evidence",
    "remove_evidence",
    "list_sources",
    "claim_history",
    "import_with_dialog",
    "import_sample",
    "open_link",
    "article_suggestions",
    "accept_suggestion",
    "dismiss_suggestion",
    "article_checks",
    "report_preview",
    "export_report",
];

fn main() {
    println!("cargo:rerun-if-changed=../tauri.conf.json");
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)).expect("tauri-build failed");
}

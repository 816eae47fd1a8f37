//! The app's vocabularies are written once: the command list in
//! `src-tauri/src/command_list.rs` (which `build.rs` and `main.rs` both include) must
//! match the main window's capability in `tauri.conf.json` and the calls in `ui/ipc.js`,
//! and the UI must not keep its own copy of the core's labels.

use std::collections::BTreeSet;
use std::path::Path;

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn command_list() -> BTreeSet<String> {
    let source = read("src-tauri/src/command_list.rs");
    let body = source.split_once("app_commands! {").expect("the list is an app_commands! call").1;
    let body = body.split_once('}').unwrap().0;
    body.split(',').map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned).collect()
}

fn capability_commands() -> BTreeSet<String> {
    let config: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    let capabilities = config["app"]["security"]["capabilities"].as_array().unwrap();
    assert_eq!(capabilities.len(), 1, "one capability, the main window's");
    capabilities[0]["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .filter(|p| !p.starts_with("core:"))
        .map(|p| p.strip_prefix("allow-").unwrap_or_else(|| panic!("unexpected permission {p}")).replace('-', "_"))
        .collect()
}

fn ipc_calls() -> BTreeSet<String> {
    let ipc = read("ui/ipc.js");
    ipc.split("invoke(\"").skip(1).map(|rest| rest.split_once('"').unwrap().0.to_owned()).collect()
}

#[test]
fn the_command_list_the_capability_and_the_ui_agree() {
    let commands = command_list();
    assert!(commands.len() >= 20 && commands.contains("set_status"), "{commands:?}");
    assert_eq!(capability_commands(), commands, "tauri.conf.json's capability vs command_list.rs");
    assert_eq!(ipc_calls(), commands, "ui/ipc.js vs command_list.rs");
    for file in ["src-tauri/build.rs", "src-tauri/src/main.rs"] {
        assert!(read(file).contains("command_list.rs\")"), "{file} should include the one command list");
    }
}

#[test]
fn arguments_cross_the_ipc_line_in_snake_case() {
    let ipc = read("ui/ipc.js");
    for call in ipc.split("invoke(\"").skip(1) {
        let args = call.split_once(')').unwrap().0;
        let camel = args
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .find(|word| word.chars().next().is_some_and(char::is_lowercase) && word.chars().any(char::is_uppercase));
        // Values may be camelCase JS variables (`article_id: articleId`); keys may not.
        if let Some(word) = camel {
            assert!(args.contains(&format!(": {word}")), "camelCase key {word:?} in invoke(\"{args}");
        }
    }
    let commands = read("src-tauri/src/commands.rs");
    assert_eq!(
        commands.matches("#[tauri::command(").count(),
        commands.matches("#[tauri::command(async, rename_all = \"snake_case\")]").count(),
        "every command takes snake_case arguments"
    );
}

/// Labels of statuses, stances, source kinds and grades come from the core
/// (`factdesk_core::vocabulary`, served by the `vocabulary` command); a copy in the UI
/// would drift.
#[test]
fn the_ui_keeps_no_copy_of_the_core_labels() {
    let vocabulary = factdesk_core::vocabulary();
    // Event kinds are worded by the core's `summary` of each event; their labels ("Claim
    // flagged") are plain phrases a notice may also use, so only statuses, stances, kinds
    // and grades are looked for here (the history panel's wording is checked end to end).
    let terms = [
        &vocabulary.statuses,
        &vocabulary.stances,
        &vocabulary.source_kinds,
        &vocabulary.reliability,
        &vocabulary.credibility,
        &vocabulary.reviews,
        &vocabulary.roles,
    ];
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    for entry in std::fs::read_dir(ui).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        let lower = source.to_lowercase();
        for term in terms.iter().flat_map(|list| list.iter()) {
            let copied = if term.label.contains(' ') {
                lower.contains(&term.label.to_lowercase())
            } else {
                term.label != term.id && source.contains(&format!("\"{}\"", term.label))
            };
            assert!(!copied, "{} copies the core's label {:?}", path.display(), term.label);
            assert!(
                !lower.contains(&term.description.to_lowercase()),
                "{} copies {:?}",
                path.display(),
                term.description
            );
        }
        assert!(!source.contains("EVENT_WORDS"), "{}: history wording comes from the core", path.display());
    }
}

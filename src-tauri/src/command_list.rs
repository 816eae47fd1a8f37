// The app's commands, written once. `build.rs` declares them (so each needs a
// permission) and `main.rs` registers them, both by `include!`-ing this file with their
// own `app_commands!` macro; `tests/registry.rs` fails when the capability in
// `tauri.conf.json` or the calls in `ui/ipc.js` disagree with it. A new command is a
// function in `commands.rs`, a name here, `allow-<name>` in the capability and a call
// in `ui/ipc.js`.
app_commands! {
    library_status,
    history_head,
    list_backups,
    restore_backup,
    vocabulary,
    list_articles,
    open_article,
    search,
    list_claims,
    flag_claim,
    set_status,
    undo,
    edit_claim,
    remove_claim,
    add_evidence,
    attach_evidence_file,
    remove_evidence,
    list_sources,
    claim_history,
    import_with_dialog,
    import_sample,
    import_url,
    cancel_fetch,
    snapshot_detail,
    open_snapshot_original,
    save_snapshot_warc,
    open_evidence_file,
    open_link,
    article_suggestions,
    accept_suggestion,
    dismiss_suggestion,
    article_checks,
    report_preview,
    export_report,
}

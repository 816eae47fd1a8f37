// The only module that touches window.__TAURI__: every call the UI makes to the Rust side.
// Arguments go over in snake_case, as results come back; the command names are the ones
// in src-tauri/src/command_list.rs (a test checks both lists agree). Errors arrive as
// { kind, message } (IpcError in src-tauri/src/error.rs).

const tauri = window.__TAURI__;

function invoke(command, args) {
  return tauri.core.invoke(command, args);
}

export const api = {
  libraryStatus: () => invoke("library_status"),
  /** Team sync: { state, waiting, contested, workspace, member, role, message, replayed }. */
  syncStatus: () => invoke("sync_status"),
  /** A shared desk's board: filter "mine" (assigned to me) or "review" (decided, not reviewed yet). */
  listTeamClaims: (filter, offset, limit) => invoke("list_team_claims", { filter, offset, limit }),
  /** The history head the library recorded with its last change: { events, head }. */
  historyHead: () => invoke("history_head"),
  /** The app's automatic backups, newest first: [{ name, bytes }]. */
  listBackups: () => invoke("list_backups"),
  /** Replaces the library with backup `name` (if it verifies); resolves to { articles, events, kept }. */
  restoreBackup: (name) => invoke("restore_backup", { name }),
  /** Labels and descriptions of statuses, stances, source kinds, grades and event kinds. */
  vocabulary: () => invoke("vocabulary"),
  /** A page of the articles, newest first: { total, offset, rows }. */
  listArticles: (offset, limit) => invoke("list_articles", { offset, limit }),
  openArticle: (articleId) => invoke("open_article", { article_id: articleId }),
  /** An article's versions, oldest first: [{ version, sha256, imported_at, words, source, bytes }]. */
  articleVersions: (articleId) => invoke("article_versions", { article_id: articleId }),
  versionText: (articleId, version) => invoke("version_text", { article_id: articleId, version }),
  /** Word diff: [{ kind: "equal" | "insert" | "delete", text }]. */
  versionDiff: (articleId, from, to) => invoke("version_diff", { article_id: articleId, from, to }),
  /** Accepts a changed claim's proposed span, or places a claim at `span` ({ start, end }). */
  setClaimAnchor: (claimId, span) =>
    invoke("set_claim_anchor", { claim_id: claimId, accept: !span, start: span?.start ?? null, end: span?.end ?? null }),
  /** A page of matches, articles then claims: { articles, claims, offset, hits }. */
  search: (query, offset, limit) => invoke("search", { query, offset, limit }),
  /** A page of the claims board, newest flagged first: { total, offset, rows } (rows carry article_title). */
  listClaims: (status, offset, limit) => invoke("list_claims", { status: status || null, offset, limit }),
  flagClaim: (articleId, start, end) =>
    invoke("flag_claim", { input: { article_id: articleId, start, end, claimant: null } }),
  suggestions: (articleId) => invoke("article_suggestions", { article_id: articleId }),
  acceptSuggestion: (articleId, start, end) => invoke("accept_suggestion", { article_id: articleId, start, end }),
  dismissSuggestion: (articleId, start, end) => invoke("dismiss_suggestion", { article_id: articleId, start, end }),
  articleChecks: (articleId) => invoke("article_checks", { article_id: articleId }),
  setStatus: (claimId, status, note) => invoke("set_status", { claim_id: claimId, status, note: note ?? null }),
  editClaim: (claimId, fields) =>
    invoke("edit_claim", { claim_id: claimId, claimant: fields.claimant ?? null, note: fields.note ?? null }),
  /** Takes back the last change; resolves to the compensating event, or null. */
  undo: () => invoke("undo"),
  removeClaim: (claimId) => invoke("remove_claim", { claim_id: claimId }),
  /** With input.capture, the URL is fetched and kept with the evidence (or nothing is written). */
  addEvidence: (input) => invoke("add_evidence", { input }),
  /** Opens the native file dialog; resolves to the new evidence, or null when cancelled. */
  attachEvidenceFile: (input) => invoke("attach_evidence_file", { input }),
  removeEvidence: (evidenceId) => invoke("remove_evidence", { evidence_id: evidenceId }),
  listSources: () => invoke("list_sources"),
  claimHistory: (claimId) => invoke("claim_history", { claim_id: claimId }),
  importWithDialog: () => invoke("import_with_dialog"),
  importSample: () => invoke("import_sample"),
  /** Fetches a page and imports it; resolves to { imported, duplicates, refused }. */
  importUrl: (url) => invoke("import_url", { url }),
  /** Stops the fetch in progress; nothing of it is written. */
  cancelFetch: () => invoke("cancel_fetch"),
  /** A snapshot's facts and readable text (never its markup). */
  snapshotDetail: (snapshotId) => invoke("snapshot_detail", { snapshot_id: snapshotId }),
  openSnapshotOriginal: (snapshotId) => invoke("open_snapshot_original", { snapshot_id: snapshotId }),
  /** Resolves to the path saved, or null when the user cancels the save dialog. */
  saveSnapshotWarc: (snapshotId) => invoke("save_snapshot_warc", { snapshot_id: snapshotId }),
  /** Opens an evidence file with the system's viewer. */
  openEvidenceFile: (evidenceId) => invoke("open_evidence_file", { evidence_id: evidenceId }),
  /** Opens evidence `evidenceId`'s source in the system browser (looked up in Rust). */
  openLink: (evidenceId) => invoke("open_link", { evidence_id: evidenceId }),
  reportPreview: (articleId) => invoke("report_preview", { article_id: articleId }),
  /** Resolves to { path, summary }, or null when the user cancels the save dialog. */
  exportReport: (articleIds, format) => invoke("export_report", { article_ids: articleIds, format }),
};

/** Calls `handler(report)` when files dropped on the window have been imported. */
export function onDropImport(handler, onError) {
  tauri.event.listen("import-finished", (event) => handler(event.payload));
  tauri.event.listen("import-failed", (event) => onError(event.payload));
}

/** Calls `handler(view)` when a background sync changed what the indicator shows. */
export function onSyncChanged(handler) {
  tauri.event.listen("sync-changed", (event) => handler(event.payload));
}

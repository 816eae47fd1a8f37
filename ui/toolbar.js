// The toolbar and its dialogs: import (native dialog or a drop on the window), the report
// preview and export, the suggestions toggle, search and the library tabs.

import { api, onDropImport } from "./ipc.js";
import { h, fill, formatDate } from "./dom.js";
import { STATUSES } from "./vocabulary.js";
import { $, state, actions, register, notify, failed, attempt } from "./state.js";

async function importWithDialog() {
  const report = await attempt(api.importWithDialog);
  if (report) await showImportReport(report);
}

async function showImportReport(report) {
  const parts = [];
  if (report.imported.length) parts.push(`${report.imported.length} imported`);
  if (report.updated?.length) parts.push(`${report.updated.length} updated to a new version (same address): check the claims marked changed or orphaned`);
  if (report.duplicates.length) parts.push(`${report.duplicates.length} already in the library`);
  if (report.refused.length) parts.push(`${report.refused.length} refused: ${report.refused.join("; ")}`);
  if (parts.length) notify(parts.join(", "), report.refused.length ? "error" : "info");
  await actions.refreshLibrary();
  const first = report.imported[0] ?? report.updated?.[0] ?? report.duplicates[0];
  if (first) await actions.openArticle(first.id);
}

async function openReport() {
  if (!state.article) return;
  const html = await attempt(() => api.reportPreview(state.article.id));
  if (html === undefined) return;
  // srcdoc in a frame without allow-scripts: the report is inert even if it held markup.
  $("report-preview").srcdoc = html;
  $("report-dialog").showModal();
}

async function saveReport() {
  if (!state.article) return;
  const format = $("report-format").value;
  const done = await attempt(() => api.exportReport([state.article.id], format));
  if (done) {
    const { claims, evidence, left_out_unreviewed: leftOut } = done.summary;
    const skipped = leftOut ? `; ${leftOut} unreviewed left out (ClaimReview lists decided claims only)` : "";
    notify(`Saved ${claims} claims and ${evidence} evidence items to ${done.path}${skipped}`);
  }
}

export function wireToolbar() {
  $("import").addEventListener("click", importWithDialog);
  $("flag").addEventListener("click", actions.flagSelection);
  $("report").addEventListener("click", openReport);
  $("suggestions-toggle").addEventListener("click", actions.toggleSuggestions);
  $("suggestions-toggle").setAttribute("aria-pressed", String(state.showSuggestions));
  $("report-save").addEventListener("click", saveReport);
  $("report-close").addEventListener("click", () => $("report-dialog").close());
  $("backups").addEventListener("click", openBackups);
  $("backups-close").addEventListener("click", () => $("backups-dialog").close());
  // Keep the text selection when the Flag button is pressed with the mouse.
  $("flag").addEventListener("mousedown", (event) => event.preventDefault());
  let searchTimer = null;
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.query = $("search").value.trim();
      actions.renderLeftPane();
    }, 120);
  });
  $("tab-articles").addEventListener("click", () => {
    state.view = "articles";
    actions.renderLeftPane();
  });
  $("tab-board").addEventListener("click", () => {
    state.view = "board";
    actions.renderLeftPane();
  });
  fill($("board-filter"), h("option", { value: "" }, "All statuses"), STATUSES.map((s) => h("option", { value: s.id }, `${s.icon} ${s.label}`)));
  $("board-filter").addEventListener("change", (event) => {
    state.boardStatus = event.target.value;
    actions.renderLeftPane();
  });
  onDropImport(showImportReport, failed);
}

/** The daily backups, each with a Restore button that asks once more before it acts. */
async function openBackups() {
  const backups = await attempt(api.listBackups);
  if (!backups) return;
  const restore = async (button, name) => {
    if (button.dataset.armed !== "true") {
      button.dataset.armed = "true";
      button.textContent = "Replace the library with this backup?";
      return;
    }
    const done = await attempt(() => api.restoreBackup(name));
    if (!done) return;
    sessionStorage.setItem(
      "factdesk.notice",
      `Restored ${done.articles} article(s) and ${done.events} history events from ${name}.${done.kept ? ` The library it replaced is kept as ${done.kept}.` : ""}`,
    );
    location.reload();
  };
  fill(
    $("backups-list"),
    backups.length
      ? backups.map((b) =>
          h(
            "li",
            { dataset: { backup: b.name } },
            h("span", { class: "backup-name", title: b.name }, formatDate(b.name.slice("library-".length, -".sqlite".length))),
            h("span", { class: "muted small" }, `${Math.max(1, Math.round(b.bytes / 1024))} KB`),
            h("button", { type: "button", class: "restore", onclick: (event) => restore(event.currentTarget, b.name) }, "Restore"),
          ),
        )
      : h("li", { class: "muted" }, "No backup yet: the first is made when the app starts."),
  );
  $("backups-dialog").showModal();
}

register({ importWithDialog, openReport, showImportReport });

// Captured pages and kept files: importing from a web address (with progress and Cancel),
// and the snapshot panel that shows what was captured, when, from where, its status and
// hash, and its text (as text nodes: the page's markup never reaches the window).

import { api } from "./ipc.js";
import { h, fill, formatTime } from "./dom.js";
import { $, actions, register, notify, attempt } from "./state.js";

let fetchingUrl = false;

function openUrlDialog() {
  $("url-input").value = "";
  $("url-progress").classList.add("hidden");
  $("url-fetch").disabled = false;
  $("url-dialog").showModal();
  $("url-input").focus();
}

/** Fetches in the background (the command runs off the window's thread); Cancel stops it. */
async function importFromUrl(event) {
  event.preventDefault();
  const url = $("url-input").value.trim();
  if (!url || fetchingUrl) return;
  fetchingUrl = true;
  $("url-fetch").disabled = true;
  $("url-progress").classList.remove("hidden");
  try {
    const report = await attempt(() => api.importUrl(url));
    if (report) {
      $("url-dialog").close();
      await actions.showImportReport(report);
    }
  } finally {
    fetchingUrl = false;
    $("url-fetch").disabled = false;
    $("url-progress").classList.add("hidden");
  }
}

async function cancelUrl() {
  if (fetchingUrl) await attempt(api.cancelFetch);
  $("url-dialog").close();
}

function bytes(n) {
  if (n < 10_000) return `${n} bytes`;
  if (n < 10_000_000) return `${Math.round(n / 1000)} KB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}

/** The snapshot panel for snapshot `snapshotId`. */
async function openSnapshot(snapshotId) {
  const detail = await attempt(() => api.snapshotDetail(snapshotId));
  if (!detail) return;
  const dialog = $("snapshot-dialog");
  dialog.dataset.snapshotId = String(snapshotId);
  const facts = [
    ["Captured", formatTime(detail.fetched_at)],
    ["Asked for", detail.url],
    ["Final address", detail.final_url],
    ["HTTP status", String(detail.status)],
    ["Type", detail.content_type ?? "not stated"],
    ["Size", bytes(detail.bytes)],
    ["SHA-256", h("code", { class: "hash", id: "snapshot-sha256" }, detail.sha256)],
  ];
  fill($("snapshot-facts"), facts.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
  const paragraphs = (detail.text ?? "").split("\n\n").filter((p) => p.trim());
  fill(
    $("snapshot-text"),
    paragraphs.length
      ? paragraphs.map((p) => h("p", {}, p))
      : h("p", { class: "muted" }, "No readable text: this capture is neither HTML nor plain text (a PDF or an image, say). Save it as WARC to open it elsewhere."),
  );
  dialog.showModal();
}

async function saveWarc() {
  const path = await attempt(() => api.saveSnapshotWarc(Number($("snapshot-dialog").dataset.snapshotId)));
  if (path) notify(`Saved the snapshot as WARC to ${path}`);
}

export function wireSnapshots() {
  $("import-url").addEventListener("click", openUrlDialog);
  $("url-form").addEventListener("submit", importFromUrl);
  $("url-cancel").addEventListener("click", cancelUrl);
  $("url-dialog").addEventListener("cancel", () => {
    if (fetchingUrl) attempt(api.cancelFetch);
  });
  $("snapshot-original").addEventListener("click", () => attempt(() => api.openSnapshotOriginal(Number($("snapshot-dialog").dataset.snapshotId))));
  $("snapshot-warc").addEventListener("click", saveWarc);
  $("snapshot-close").addEventListener("click", () => $("snapshot-dialog").close());
}

register({ openSnapshot, openUrlDialog });

// Versions of an article: which version is being read (and reading an older one), the
// "what changed" view between two versions, and placing the claims a new version moved:
// accept a proposed span (A) or re-select the passage and press E.

import { api } from "./ipc.js";
import { h, fill, formatTime } from "./dom.js";
import { renderArticle, selectionOffsets } from "./reader.js";
import { $, state, actions, register, notify, attempt } from "./state.js";

/** The version bar under the article title: which version, older ones, what changed. */
export function renderVersionBar(container, article, reading) {
  if (article.version < 2) {
    fill(container);
    return;
  }
  const choose = h(
    "select",
    { id: "version-select", "aria-label": "Version to read" },
    Array.from({ length: article.version }, (_, i) => i + 1)
      .reverse()
      .map((v) => h("option", { value: String(v), selected: v === reading }, v === article.version ? `Version ${v} (newest)` : `Version ${v}`)),
  );
  choose.addEventListener("change", () => readVersion(Number(choose.value)));
  fill(
    container,
    h("span", { class: "small" }, `Version ${reading} of ${article.version}`),
    choose,
    h("button", { type: "button", id: "what-changed", class: "small", onclick: () => showChanges(Math.max(1, reading - 1), Math.max(2, reading)) }, "What changed…"),
    reading !== article.version
      ? h("p", { class: "older-version", role: "status" }, "You are reading an older version. Claims are shown and flagged on the newest one.")
      : null,
  );
}

/** Reads version `version` of the open article: the newest with its claims, an older one as text only. */
async function readVersion(version) {
  const article = state.article;
  if (!article) return;
  if (version === article.version) {
    state.readingVersion = null;
    await actions.openArticle(article.id);
    return;
  }
  const text = await attempt(() => api.versionText(article.id, version));
  if (text === undefined) return;
  state.readingVersion = version;
  renderArticle($("article-text"), { ...article, text, claims: [] }, { selectedClaimId: null, onClaimClick: () => {}, suggestions: [] });
  renderVersionBar($("version-bar"), article, version);
}

/** The word diff from version `from` to `to` in a dialog: deletions struck, insertions marked. */
async function showChanges(from, to) {
  const article = state.article;
  if (!article) return;
  const pieces = await attempt(() => api.versionDiff(article.id, from, to));
  if (!pieces) return;
  const versions = (await attempt(() => api.articleVersions(article.id))) ?? [];
  const when = (v) => versions.find((x) => x.version === v);
  fill(
    $("changes-title"),
    `What changed from version ${from} to ${to}`,
  );
  fill(
    $("changes-meta"),
    [from, to].map((v) => (when(v) ? `Version ${v}: ${formatTime(when(v).imported_at)}, ${when(v).source}, SHA-256 ${when(v).sha256.slice(0, 16)}…` : null)).filter(Boolean).join(" · "),
  );
  const body = pieces.map((p) => (p.kind === "insert" ? h("ins", {}, p.text) : p.kind === "delete" ? h("del", {}, p.text) : p.text));
  fill($("changes-text"), body);
  $("changes-dialog").showModal();
}

/** A: accept the span proposed for the selected changed claim. */
async function acceptAnchor() {
  const claim = state.article?.claims.find((c) => c.id === state.selectedClaimId);
  if (!claim || claim.anchor.state !== "changed") return false;
  const placed = await attempt(() => api.setClaimAnchor(claim.id, null));
  if (placed) await afterPlacing(placed, "Accepted the new span");
  return true;
}

/** E: place the selected claim at the passage selected in the newest text. */
async function reselectAnchor() {
  const claim = state.article?.claims.find((c) => c.id === state.selectedClaimId);
  if (!claim || state.readingVersion) return;
  const span = selectionOffsets($("article-text"));
  if (!span) {
    notify("Select the claim's passage in the article, then press E.");
    return;
  }
  const placed = await attempt(() => api.setClaimAnchor(claim.id, span));
  if (placed) await afterPlacing(placed, "Placed the claim on the selected passage");
}

async function afterPlacing(claim, message) {
  window.getSelection().removeAllRanges();
  notify(`${message} (claim ${claim.id}, version ${claim.anchor.version}).`);
  state.article = { ...state.article, claims: [...state.article.claims.filter((c) => c.id !== claim.id), claim] };
  actions.drawArticle();
  await actions.selectClaim(claim.id);
  actions.refreshCounts();
}

export function wireVersions() {
  $("changes-close").addEventListener("click", () => $("changes-dialog").close());
}

register({ readVersion, showChanges, acceptAnchor, reselectAnchor });

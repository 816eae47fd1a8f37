// Factdesk's window: start-up. Loads the core's vocabulary, wires the toolbar and the
// keyboard, opens the library and its first article. The work is in desk.js (library,
// reader, inspector), flagging.js (selection and suggestions), toolbar.js (toolbar and
// dialogs), snapshots.js (import from a URL, captured pages), versions.js (article
// versions and claims they moved), keyboard.js and sync.js (the team sync indicator);
// state.js holds what they share.

import { api } from "./ipc.js";
import { h, fill } from "./dom.js";
import { loadVocabulary } from "./vocabulary.js";
import { $, state, actions, notify, attempt } from "./state.js";
import "./desk.js";
import "./flagging.js";
import { wireToolbar } from "./toolbar.js";
import { wireSnapshots } from "./snapshots.js";
import { wireVersions } from "./versions.js";
import { listenForKeys } from "./keyboard.js";
import { wireSync } from "./sync.js";

async function start() {
  performance.mark("ui-start");
  // Ask for the articles and the status while the words are on their way: start-up is
  // two round trips less. Nothing is drawn before the core's labels are here.
  const firstPage = api.listArticles(0, 50).catch(() => null);
  const pendingStatus = attempt(api.libraryStatus);
  await loadVocabulary();
  wireToolbar();
  wireSnapshots();
  wireVersions();
  listenForKeys();
  actions.renderArticleInspector();
  const status = await pendingStatus;
  if (status?.error) {
    fill($("article-text"), h("div", { class: "welcome" }, h("h1", {}, "The library could not be opened"), h("p", {}, status.error.message), h("p", { class: "muted small" }, status.path)));
    notify(status.error.message, "error");
    return;
  }
  if (status) fill($("library-path"), `${status.path} · working as ${status.actor}`);
  await actions.refreshLibrary(await firstPage);
  // A message from before a reload (a restore says what it did).
  const carried = sessionStorage.getItem("factdesk.notice");
  if (carried) {
    sessionStorage.removeItem("factdesk.notice");
    notify(carried);
  }
  requestAnimationFrame(() => setTimeout(() => performance.mark("library-shown")));
  if (state.newestArticleId !== null) await actions.openArticle(state.newestArticleId);
  wireSync();
  document.body.dataset.ready = "true";
}

start();

// What the window's modules share: the state of the desk, the notice bar, and the
// registry of actions through which they call each other (so no module imports another
// in a loop: each registers its actions here and calls the others' by name).

import { shown } from "./dom.js";

export const $ = (id) => document.getElementById(id);

export const state = {
  articleCount: 0,
  newestArticleId: null, // opened at start
  article: null, // ArticleDetail of the open article
  claimsInOrder: [], // the open article's claims in reading order
  selectedClaimId: null,
  suggestions: [], // the assistant's suggestions for the open article, reading order
  selectedSuggestion: null, // start offset of the selected suggestion
  findings: [], // the assistant's checks of the open article: names and figures
  view: "articles", // "articles" | "board"
  boardStatus: "",
  query: "",
  showSuggestions: localStorage.getItem("factdesk.showSuggestions") !== "off",
  readingVersion: null, // an older version being read (text only), or null for the newest
};

/**
 * Every action a module offers the others, filled by `register` as the modules load:
 * openArticle, selectClaim, drawArticle, flagSelection, openReport, …
 */
export const actions = {};

export function register(offered) {
  for (const name of Object.keys(offered)) {
    if (name in actions) throw new Error(`action ${name} registered twice`);
  }
  Object.assign(actions, offered);
}

let noticeTimer = null;

/** Shows a one-line message at the bottom; info fades after a while, errors stay longer. */
export function notify(message, kind = "info") {
  const notice = $("notice");
  notice.className = `notice ${kind}`;
  notice.textContent = shown(message);
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    notice.textContent = "";
  }, kind === "error" ? 12000 : 5000);
}

export function failed(error) {
  const message = error && typeof error === "object" && "message" in error ? error.message : String(error);
  notify(message, "error");
}

/** Runs an IPC action, shows its error in the notice bar instead of throwing. */
export async function attempt(action) {
  try {
    return await action();
  } catch (error) {
    failed(error);
    return undefined;
  }
}

/** Records `name` (User Timing) from `start` to the next painted frame; read by the app benchmark. */
export function measureToPaint(name, start) {
  requestAnimationFrame(() => setTimeout(() => performance.measure(name, { start })));
}

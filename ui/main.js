// Factdesk's window: state, wiring between the three panes, and the keyboard.

import { api, onDropImport } from "./ipc.js";
import { h, fill } from "./dom.js";
import { STATUSES, loadVocabulary } from "./vocabulary.js";
import { renderArticle, renderHeader, selectionOffsets, revealClaim, restyleClaim, revealSuggestion, selectSuggestionMarks, selectSpan } from "./reader.js";
import { renderArticles, renderSearch, renderBoard } from "./library.js";
import { renderInspector, renderEmptyInspector, renderSuggestionInspector } from "./inspector.js";

const $ = (id) => document.getElementById(id);

/** How long opening an article waits for its suggestions before drawing without them. */
const SUGGESTIONS_GRACE_MS = 150;

const state = {
  articles: [],
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
};

// ----- notices -------------------------------------------------------------------------

let noticeTimer = null;

/** Shows a one-line message at the bottom; info fades after a while, errors stay longer. */
function notify(message, kind = "info") {
  const notice = $("notice");
  notice.className = `notice ${kind}`;
  notice.textContent = message;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    notice.textContent = "";
  }, kind === "error" ? 12000 : 5000);
}

function failed(error) {
  const message = error && typeof error === "object" && "message" in error ? error.message : String(error);
  notify(message, "error");
}

/** Runs an IPC action, shows its error in the notice bar instead of throwing. */
async function attempt(action) {
  try {
    return await action();
  } catch (error) {
    failed(error);
    return undefined;
  }
}

// ----- library pane --------------------------------------------------------------------

/** Reloads the article list (or shows `preloaded`, fetched at start-up) and the left pane. */
async function refreshLibrary(preloaded = null) {
  const articles = preloaded ?? (await attempt(api.listArticles));
  if (!articles) return;
  state.articles = articles;
  await renderLeftPane();
  if (!articles.length) showWelcome();
}

async function renderLeftPane() {
  const list = $("left-list");
  $("tab-articles").setAttribute("aria-selected", String(state.view === "articles"));
  $("tab-board").setAttribute("aria-selected", String(state.view === "board"));
  $("board-filter").classList.toggle("hidden", state.view !== "board" || state.query !== "");
  if (state.query) {
    const hits = await attempt(() => api.search(state.query));
    if (hits) renderSearch(list, hits, openArticle);
  } else if (state.view === "board") {
    const claims = await attempt(() => api.listClaims(state.boardStatus));
    if (claims) {
      const byId = new Map(state.articles.map((a) => [a.id, a]));
      renderBoard(list, claims, byId, state.selectedClaimId, openArticle);
    }
  } else {
    renderArticles(list, state.articles, state.article?.id, (id) => openArticle(id));
  }
}

// ----- reader --------------------------------------------------------------------------

function showWelcome() {
  state.article = null;
  state.claimsInOrder = [];
  state.suggestions = [];
  state.findings = [];
  delete $("reader").dataset.articleId;
  $("report").disabled = true;
  fill($("article-header"));
  fill(
    $("article-text"),
    h(
      "div",
      { class: "welcome" },
      h("h1", {}, "Welcome to Factdesk"),
      h("p", {}, "Import the articles you are checking, flag the claims in their text, attach evidence, and decide what holds up. Everything stays in one library file on this computer."),
      h(
        "p",
        { class: "welcome-actions" },
        h("button", { type: "button", id: "open-sample", class: "primary", onclick: openSample }, "Open the sample article"),
        h("button", { type: "button", onclick: importWithDialog }, "Import articles…"),
      ),
      h("p", { class: "muted small" }, "You can also drop .txt, .md or saved .html pages anywhere on this window."),
    ),
  );
  selectClaim(null);
}

async function openSample() {
  const article = await attempt(api.importSample);
  if (!article) return;
  await refreshLibrary();
  await openArticle(article.id);
}

/** Records `name` (User Timing) from `start` to the next painted frame; read by the app benchmark. */
function measureToPaint(name, start) {
  requestAnimationFrame(() => setTimeout(() => performance.measure(name, { start })));
}

async function openArticle(articleId, claimId = null) {
  const started = performance.now();
  const pendingSuggestions = api.suggestions(articleId).catch(() => []);
  const article = await attempt(() => api.openArticle(articleId));
  if (!article) return;
  // Suggestions usually arrive with the article; a very long one does not wait for them.
  const suggestions = await Promise.race([pendingSuggestions, new Promise((done) => setTimeout(() => done(null), SUGGESTIONS_GRACE_MS))]);
  if (suggestions === null) {
    pendingSuggestions.then((late) => {
      if (state.article?.id !== articleId) return;
      state.suggestions = late;
      drawArticle();
    });
  }
  if (state.article?.id !== article.id) {
    state.findings = [];
    state.selectedSuggestion = null;
    loadFindings(article.id);
  }
  state.article = article;
  state.suggestions = suggestions ?? [];
  $("reader").dataset.articleId = String(article.id);
  $("report").disabled = false;
  renderHeader($("article-header"), article);
  if (claimId !== null) state.selectedClaimId = claimId;
  else if (!article.claims.some((c) => c.id === state.selectedClaimId)) state.selectedClaimId = null;
  drawArticle();
  measureToPaint(`open-article:${article.claims.length}`, started);
  await selectClaim(state.selectedClaimId);
  if (claimId !== null) revealClaim($("article-text"), claimId);
  if (!state.query && state.view === "articles") renderArticles($("left-list"), state.articles, article.id, (id) => openArticle(id));
}

function drawArticle() {
  state.claimsInOrder = renderArticle($("article-text"), state.article, {
    selectedClaimId: state.selectedClaimId,
    onClaimClick: (id) => selectClaim(id),
    suggestions: visibleSuggestions(),
    selectedSuggestion: state.selectedSuggestion,
    onSuggestionClick: (start) => selectSuggestion(start),
  });
}

/** Suggestions where no live claim is: an accepted one becomes a claim and leaves the list. */
function visibleSuggestions() {
  if (!state.showSuggestions) return [];
  const claims = state.article?.claims ?? [];
  return state.suggestions.filter((s) => !claims.some((c) => c.start < s.end && s.start < c.end));
}

/** The checks arrive after the article: they may read the whole library the first time. */
async function loadFindings(articleId) {
  const findings = await api.articleChecks(articleId).catch(() => []);
  if (state.article?.id !== articleId) return;
  // Each mention with its text, for the buttons that select it.
  const chars = findings.some((f) => f.spans.length) ? Array.from(state.article.text) : [];
  state.findings = findings.map((f) => ({
    ...f,
    mentions: f.spans.map((s) => ({ ...s, text: chars.slice(s.start, s.end).join("") })),
  }));
  if (state.selectedClaimId === null && state.selectedSuggestion === null) renderArticleInspector();
}

/** Findings that touch a span of the article or name a word in its quote. */
function findingsFor(span, quote) {
  return state.findings.filter(
    (f) => f.spans.some((s) => s.start < span.end && span.start < s.end) || f.words.some((w) => quote.includes(w)),
  );
}

function renderArticleInspector() {
  renderEmptyInspector($("inspector"), { findings: state.findings, suggestions: visibleSuggestions().length, onShow: showMention });
}

/** Selects a finding's mention in the article, ready to flag with F; or opens the other article. */
function showMention(mention) {
  if (mention.articleId !== undefined) {
    openArticle(mention.articleId);
    return;
  }
  if (!selectSpan($("article-text"), mention.start, mention.end)) notify("That passage is not in the article as shown.");
}

/** Replaces one claim in the open article after a change; redraws only what changed. */
function updateClaim(claim) {
  if (!state.article) return;
  const old = state.article.claims.find((c) => c.id === claim.id);
  const claims = state.article.claims.filter((c) => c.id !== claim.id);
  state.article = { ...state.article, claims: [...claims, claim] };
  if (old && old.start === claim.start && old.end === claim.end) {
    state.claimsInOrder = state.claimsInOrder.map((c) => (c.id === claim.id ? claim : c));
    restyleClaim($("article-text"), claim);
  } else {
    drawArticle();
  }
}

async function flagSelection() {
  if (!state.article) return;
  const span = selectionOffsets($("article-text"));
  if (!span) {
    notify("Select the words of the claim in the article first, then press F.");
    return;
  }
  const claim = await attempt(() => api.flagClaim(state.article.id, span.start, span.end));
  if (!claim) return;
  window.getSelection().removeAllRanges();
  state.article = { ...state.article, claims: [...state.article.claims, claim] };
  state.selectedClaimId = claim.id;
  drawArticle();
  await selectClaim(claim.id);
  notify(`Flagged claim ${claim.id}.`);
  refreshCounts();
}

// ----- inspector -----------------------------------------------------------------------

async function selectClaim(claimId) {
  state.selectedClaimId = claimId;
  for (const mark of $("article-text").querySelectorAll("mark.claim")) {
    mark.classList.toggle("selected", Number(mark.dataset.claimId) === claimId);
  }
  const claim = state.article?.claims.find((c) => c.id === claimId);
  if (claim || claimId === null) {
    state.selectedSuggestion = null;
    selectSuggestionMarks($("article-text"), null);
  }
  if (!claim) {
    if (state.selectedSuggestion === null) renderArticleInspector();
    return;
  }
  const [sources, history] = await Promise.all([attempt(api.listSources), attempt(() => api.claimHistory(claim.id))]);
  if (state.selectedClaimId !== claimId) return; // another claim was selected meanwhile
  const context = { sources: sources ?? [], history: history ?? [], findings: findingsFor(claim, claim.quote), onShow: showMention };
  renderInspector($("inspector"), claim, context, inspectorActions(claim));
}

// ----- suggestions ---------------------------------------------------------------------

function selectSuggestion(start) {
  const suggestion = visibleSuggestions().find((s) => s.start === start);
  if (!suggestion) return;
  state.selectedSuggestion = start;
  state.selectedClaimId = null;
  for (const mark of $("article-text").querySelectorAll("mark.claim.selected")) mark.classList.remove("selected");
  selectSuggestionMarks($("article-text"), start);
  revealSuggestion($("article-text"), start);
  renderSuggestionInspector(
    $("inspector"),
    suggestion,
    findingsFor(suggestion, suggestion.text),
    { accept: acceptSuggestion, dismiss: dismissSuggestion },
    showMention,
  );
}

/** Selects the next (step 1) or previous (-1) suggestion from the selection or claim. */
function moveToSuggestion(step) {
  const list = visibleSuggestions();
  if (!list.length) {
    notify(state.showSuggestions ? "No suggestions left in this article." : "Suggestions are hidden: press the Suggestions button to show them.");
    return;
  }
  const selectedClaim = state.article?.claims.find((c) => c.id === state.selectedClaimId);
  const here = state.selectedSuggestion ?? selectedClaim?.start ?? (step > 0 ? -1 : Infinity);
  const next = step > 0 ? list.find((s) => s.start > here) ?? list[0] : [...list].reverse().find((s) => s.start < here) ?? list[list.length - 1];
  selectSuggestion(next.start);
}

function selectedSuggestion() {
  return visibleSuggestions().find((s) => s.start === state.selectedSuggestion) ?? null;
}

/** `a`: the selected suggestion becomes a claim, its claimant prefilled. */
async function acceptSuggestion() {
  const suggestion = selectedSuggestion();
  if (!state.article || !suggestion) {
    notify("Press S to pick a suggestion first, then A to accept it.");
    return;
  }
  const claim = await attempt(() => api.acceptSuggestion(state.article.id, suggestion.start, suggestion.end));
  if (!claim) return;
  state.article = { ...state.article, claims: [...state.article.claims, claim] };
  state.selectedSuggestion = null;
  state.selectedClaimId = claim.id;
  drawArticle();
  await selectClaim(claim.id);
  notify(`Accepted as claim ${claim.id}${claim.claimant ? `, claimant ${claim.claimant}` : ""}.`);
  refreshCounts();
}

/** `x`: the selected suggestion is dismissed for good, and the next one selected. */
async function dismissSuggestion() {
  const suggestion = selectedSuggestion();
  if (!state.article || !suggestion) {
    notify("Press S to pick a suggestion first, then X to dismiss it.");
    return;
  }
  if ((await attempt(() => api.dismissSuggestion(state.article.id, suggestion.start, suggestion.end))) === undefined) return;
  state.suggestions = state.suggestions.filter((s) => s !== suggestion);
  for (const mark of $("article-text").querySelectorAll(`mark.suggestion[data-suggestion-start="${suggestion.start}"]`)) {
    mark.replaceWith(...mark.childNodes);
  }
  const next = visibleSuggestions().find((s) => s.start > suggestion.start);
  state.selectedSuggestion = null;
  if (next) selectSuggestion(next.start);
  else renderArticleInspector();
}

function inspectorActions(claim) {
  const afterChange = async (updated) => {
    if (!updated) return;
    updateClaim(updated);
    await selectClaim(updated.id);
    refreshCounts();
  };
  return {
    setStatus: (status) => setStatus(status),
    saveClaimant: async (claimant) => afterChange(await attempt(() => api.editClaim(claim.id, { claimant }))),
    saveNote: async (note) => afterChange(await attempt(() => api.editClaim(claim.id, { note }))),
    addEvidence: async (input) => {
      const evidence = await attempt(() => api.addEvidence({ ...input, claim_id: claim.id }));
      if (!evidence) return;
      notify(`Evidence added from “${evidence.source.title}”.`);
      await reloadOpenArticle();
    },
    removeEvidence: async (id) => {
      if ((await attempt(() => api.removeEvidence(id))) === undefined) return;
      await reloadOpenArticle();
    },
    removeClaim: async () => {
      if ((await attempt(() => api.removeClaim(claim.id))) === undefined) return;
      state.selectedClaimId = null;
      notify(`Removed claim ${claim.id}; its history is kept.`);
      await reloadOpenArticle();
      refreshCounts();
    },
    openLink: (url) => attempt(() => api.openLink(url)),
  };
}

async function setStatus(status) {
  const claimId = state.selectedClaimId;
  if (claimId === null) return;
  const started = performance.now();
  const updated = await attempt(() => api.setStatus(claimId, status, null));
  if (!updated) return;
  updateClaim(updated);
  measureToPaint("set-status", started);
  await selectClaim(updated.id);
  refreshCounts();
}

async function reloadOpenArticle() {
  if (state.article) await openArticle(state.article.id, state.selectedClaimId);
}

/** Claim counts in the library list follow every change. */
async function refreshCounts() {
  const articles = await attempt(api.listArticles);
  if (!articles) return;
  state.articles = articles;
  await renderLeftPane();
}

function moveSelection(step) {
  const claims = state.claimsInOrder;
  if (!claims.length) return;
  const index = claims.findIndex((c) => c.id === state.selectedClaimId);
  const next = index === -1 ? (step > 0 ? 0 : claims.length - 1) : Math.min(claims.length - 1, Math.max(0, index + step));
  selectClaim(claims[next].id);
  revealClaim($("article-text"), claims[next].id);
}

/** Shows or hides the suggested claims; the choice is remembered on this computer. */
function toggleSuggestions() {
  state.showSuggestions = !state.showSuggestions;
  localStorage.setItem("factdesk.showSuggestions", state.showSuggestions ? "on" : "off");
  $("suggestions-toggle").setAttribute("aria-pressed", String(state.showSuggestions));
  if (!state.showSuggestions) state.selectedSuggestion = null;
  if (state.article) drawArticle();
  if (state.selectedClaimId === null && state.selectedSuggestion === null) renderArticleInspector();
}

// ----- import --------------------------------------------------------------------------

async function importWithDialog() {
  const report = await attempt(api.importWithDialog);
  if (report) await showImportReport(report);
}

async function showImportReport(report) {
  const parts = [];
  if (report.imported.length) parts.push(`${report.imported.length} imported`);
  if (report.duplicates.length) parts.push(`${report.duplicates.length} already in the library`);
  if (report.refused.length) parts.push(`${report.refused.length} refused: ${report.refused.join("; ")}`);
  if (parts.length) notify(parts.join(", "), report.refused.length ? "error" : "info");
  await refreshLibrary();
  const first = report.imported[0] ?? report.duplicates[0];
  if (first) await openArticle(first.id);
}

// ----- report --------------------------------------------------------------------------

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

// ----- keyboard ------------------------------------------------------------------------

function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  // The report dialog is modal: its own controls and Esc (closes it) only.
  if ($("report-dialog").open) return;
  if (event.key === "Escape") {
    if (isTyping(event.target)) event.target.blur();
    window.getSelection().removeAllRanges();
    selectClaim(null);
    return;
  }
  if (isTyping(event.target)) return;
  const status = STATUSES.find((s) => s.key === event.key);
  const actions = {
    j: () => moveSelection(1),
    k: () => moveSelection(-1),
    f: flagSelection,
    r: openReport,
    s: () => moveToSuggestion(1),
    S: () => moveToSuggestion(-1),
    a: acceptSuggestion,
    x: dismissSuggestion,
    "/": () => $("search").focus(),
  };
  if (status) {
    event.preventDefault();
    setStatus(status.id);
  } else if (actions[event.key]) {
    event.preventDefault();
    actions[event.key]();
  }
}

// ----- start ---------------------------------------------------------------------------

function wire() {
  document.addEventListener("keydown", onKey);
  $("import").addEventListener("click", importWithDialog);
  $("flag").addEventListener("click", flagSelection);
  $("report").addEventListener("click", openReport);
  $("suggestions-toggle").addEventListener("click", toggleSuggestions);
  $("suggestions-toggle").setAttribute("aria-pressed", String(state.showSuggestions));
  $("report-save").addEventListener("click", saveReport);
  $("report-close").addEventListener("click", () => $("report-dialog").close());
  // Keep the text selection when the Flag button is pressed with the mouse.
  $("flag").addEventListener("mousedown", (event) => event.preventDefault());
  let searchTimer = null;
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      state.query = $("search").value.trim();
      renderLeftPane();
    }, 120);
  });
  $("tab-articles").addEventListener("click", () => {
    state.view = "articles";
    renderLeftPane();
  });
  $("tab-board").addEventListener("click", () => {
    state.view = "board";
    renderLeftPane();
  });
  fill($("board-filter"), h("option", { value: "" }, "All statuses"), STATUSES.map((s) => h("option", { value: s.id }, `${s.icon} ${s.label}`)));
  $("board-filter").addEventListener("change", (event) => {
    state.boardStatus = event.target.value;
    renderLeftPane();
  });
  onDropImport(showImportReport, failed);
}

async function start() {
  performance.mark("ui-start");
  // Ask for the articles and the status while the words are on their way: start-up is
  // two round trips less. Nothing is drawn before the core's labels are here.
  const articles = api.listArticles().catch(() => null);
  const pendingStatus = attempt(api.libraryStatus);
  await loadVocabulary();
  wire();
  renderArticleInspector();
  const status = await pendingStatus;
  if (status?.error) {
    fill($("article-text"), h("div", { class: "welcome" }, h("h1", {}, "The library could not be opened"), h("p", {}, status.error.message), h("p", { class: "muted small" }, status.path)));
    notify(status.error.message, "error");
    return;
  }
  if (status) $("library-path").textContent = `${status.path} · working as ${status.actor}`;
  await refreshLibrary(await articles);
  requestAnimationFrame(() => setTimeout(() => performance.mark("library-shown")));
  if (state.articles.length) await openArticle(state.articles[0].id);
  document.body.dataset.ready = "true";
}

start();

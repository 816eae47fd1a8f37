// The desk: the library pane, the open article in the reader, and the selected claim in
// the inspector, kept in step with every change.

import { api } from "./ipc.js";
import { h, fill } from "./dom.js";
import { renderArticle, renderHeader, revealClaim, restyleClaim, selectSuggestionMarks, selectSpan } from "./reader.js";
import { articleRow, searchRow, boardRow, ARTICLE_ROW, SEARCH_ROW, BOARD_ROW } from "./library.js";
import { VirtualList } from "./virtual-list.js";
import { STATUSES } from "./vocabulary.js";
import { renderInspector, renderEmptyInspector } from "./inspector.js";
import { renderVersionBar } from "./versions.js";
import { $, state, actions, register, notify, attempt, measureToPaint } from "./state.js";

/** How long opening an article waits for its suggestions before drawing without them. */
const SUGGESTIONS_GRACE_MS = 150;

/** Rows fetched per call: a few screens of the library pane. */
const PAGE_SIZE = 50;
/** Search results cost more a row (each has a snippet): fewer a page. */
const SEARCH_PAGE_SIZE = 25;

const leftList = new VirtualList($("left-scroll"), $("left-list"));
leftList.onTotal = (answer) => showListSummary(answer);

/** Reloads the library pane (`firstPage`, fetched at start-up, saves a round trip). */
async function refreshLibrary(firstPage = null) {
  const page = firstPage ?? (await attempt(() => api.listArticles(0, PAGE_SIZE)));
  if (!page) return;
  state.articleCount = page.total;
  state.newestArticleId = page.rows[0]?.id ?? null;
  showHistoryHead();
  await renderLeftPane(page);
  if (!page.total) showWelcome();
}

/** What the left pane lists: search results, the claims board, or the articles. */
function leftSource(firstPage) {
  if (state.query) {
    const query = state.query;
    return {
      key: `search:${query}`,
      rowHeight: SEARCH_ROW,
      pageSize: SEARCH_PAGE_SIZE,
      fetchPage: (offset, limit) =>
        attempt(() => api.search(query, offset, limit)).then((r) => r && { ...r, total: r.articles + r.claims, rows: r.hits }),
      renderRow: (hit) => searchRow(hit, openArticle),
      emptyText: "Nothing found.",
    };
  }
  if (state.view === "board") {
    const status = state.boardStatus;
    // "team:mine", "team:review" and "team:contested": a shared desk's own lists (sync.js adds them).
    const team = status.startsWith("team:") ? status.slice(5) : null;
    return {
      key: `board:${status}`,
      rowHeight: BOARD_ROW,
      pageSize: PAGE_SIZE,
      fetchPage: (offset, limit) =>
        attempt(() => (team ? api.listTeamClaims(team, offset, limit) : api.listClaims(status, offset, limit))),
      renderRow: (claim) => boardRow(claim, openArticle),
      isCurrent: (claim) => claim.id === state.selectedClaimId,
      emptyText: "No claims with this status.",
    };
  }
  let preloaded = firstPage;
  return {
    key: "articles",
    rowHeight: ARTICLE_ROW,
    pageSize: PAGE_SIZE,
    fetchPage: (offset, limit) => {
      const page = offset === 0 && preloaded ? Promise.resolve(preloaded) : attempt(() => api.listArticles(offset, limit));
      preloaded = null;
      return page;
    },
    renderRow: (article) => articleRow(article, (id) => openArticle(id)),
    isCurrent: (article) => article.id === state.article?.id,
    emptyText: "No articles yet. Import one, or drop files on the window.",
  };
}

async function renderLeftPane(firstPage = null) {
  $("tab-articles").setAttribute("aria-selected", String(state.view === "articles"));
  $("tab-board").setAttribute("aria-selected", String(state.view === "board"));
  $("board-filter").classList.toggle("hidden", state.view !== "board" || state.query !== "");
  const started = performance.now();
  const source = leftSource(firstPage);
  await leftList.show(source);
  measureToPaint(`left-pane:${source.key.split(":")[0]}`, started);
}

/** One line over the list: how many rows it has in all. */
function showListSummary(answer) {
  const count = (n, one, many) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
  let text;
  const atLeast = (n, more, one, many) => (more ? `over ${count(n, one, many)}` : count(n, one, many));
  if (state.query) {
    const articles = atLeast(answer.articles, answer.more_articles, "article", "articles");
    const claims = atLeast(answer.claims, answer.more_claims, "claim", "claims");
    const listed = answer.more_articles || answer.more_claims ? " (the first 10,000 of each listed: add a word)" : "";
    text = `${articles} and ${claims} match${listed}`;
  } else if (state.view === "board") {
    const status = STATUSES.find((s) => s.id === state.boardStatus);
    const team = state.boardStatus.startsWith("team:") ? $("board-filter").selectedOptions[0]?.textContent : null;
    text = `${count(answer.total, "claim", "claims")}${status ? ` ${status.label.toLowerCase()}` : ""}${team ? ` (${team.toLowerCase()})` : ""}, newest first`;
  } else text = count(answer.total, "article", "articles");
  $("list-summary").textContent = text;
}

function showWelcome() {
  state.article = null;
  state.claimsInOrder = [];
  state.suggestions = [];
  state.findings = [];
  delete $("reader").dataset.articleId;
  $("report").disabled = true;
  fill($("article-header"));
  fill($("version-bar"));
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
        h("button", { type: "button", onclick: actions.importWithDialog }, "Import articles…"),
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
  state.readingVersion = null;
  renderVersionBar($("version-bar"), article, article.version);
  if (claimId !== null) state.selectedClaimId = claimId;
  else if (!article.claims.some((c) => c.id === state.selectedClaimId)) state.selectedClaimId = null;
  drawArticle();
  measureToPaint(`open-article:${article.claims.length}`, started);
  await selectClaim(state.selectedClaimId);
  if (claimId !== null) revealClaim($("article-text"), claimId);
  leftList.redraw();
}

function drawArticle() {
  state.claimsInOrder = renderArticle($("article-text"), state.article, {
    selectedClaimId: state.selectedClaimId,
    onClaimClick: (id) => selectClaim(id),
    suggestions: visibleSuggestions(),
    selectedSuggestion: state.selectedSuggestion,
    onSuggestionClick: (start) => actions.selectSuggestion(start),
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
  const toRecheck = (state.article?.claims ?? []).filter((c) => c.anchor.state === "changed" || c.anchor.state === "orphaned");
  renderEmptyInspector($("inspector"), {
    findings: state.findings,
    suggestions: visibleSuggestions().length,
    onShow: showMention,
    toRecheck,
    onPick: (id) => selectClaim(id),
  });
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

async function selectClaim(claimId) {
  state.selectedClaimId = claimId;
  leftList.redraw();
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
      // A capture fetches the page first, off the window's thread: say so while it runs.
      if (input.capture) notify(`Fetching ${input.url} to keep a copy…`);
      const evidence = await attempt(() => api.addEvidence({ ...input, claim_id: claim.id }));
      if (!evidence) return;
      const kept = evidence.snapshot ? ", its page kept" : "";
      notify(`Evidence added from “${evidence.source.title}”${kept}.`);
      await reloadOpenArticle();
    },
    attachEvidenceFile: async (input) => {
      const evidence = await attempt(() => api.attachEvidenceFile({ ...input, capture: false, claim_id: claim.id }));
      if (!evidence) return;
      notify(`Evidence added with the file ${evidence.file.name}.`);
      await reloadOpenArticle();
    },
    openSnapshot: (snapshotId) => actions.openSnapshot(snapshotId),
    acceptAnchor: () => actions.acceptAnchor(),
    reselectAnchor: () => actions.reselectAnchor(),
    openEvidenceFile: (evidenceId) => attempt(() => api.openEvidenceFile(evidenceId)),
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
    openLink: (evidenceId) => attempt(() => api.openLink(evidenceId)),
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
  showHistoryHead();
  if (state.article) await openArticle(state.article.id, state.selectedClaimId);
}

/** Ctrl+Z: the core takes back the last change with a new event; the view follows. */
async function undo() {
  const event = await attempt(api.undo);
  if (event === undefined) return;
  if (event === null) {
    notify("Nothing of yours to undo.");
    return;
  }
  notify(`Undone: ${event.summary}`);
  if (state.article) {
    const selected = state.article.claims.some((c) => c.id === event.claim_id) ? state.selectedClaimId : null;
    await openArticle(state.article.id, selected);
  }
  refreshCounts();
}

/** The history head, to copy and keep elsewhere; it follows every change. */
async function showHistoryHead() {
  const head = await api.historyHead().catch(() => null);
  if (!head) return;
  fill($("history-head"), `History head (${head.events} events): `, h("code", { class: "head" }, head.head));
}

/** Claim counts in the library list follow every change. */
async function refreshCounts() {
  showHistoryHead();
  await leftList.reload();
}

function moveSelection(step) {
  const claims = state.claimsInOrder;
  if (!claims.length) return;
  const index = claims.findIndex((c) => c.id === state.selectedClaimId);
  const next = index === -1 ? (step > 0 ? 0 : claims.length - 1) : Math.min(claims.length - 1, Math.max(0, index + step));
  selectClaim(claims[next].id);
  revealClaim($("article-text"), claims[next].id);
}

register({
  undo,
  showHistoryHead,
  refreshLibrary,
  renderLeftPane,
  openArticle,
  drawArticle,
  visibleSuggestions,
  findingsFor,
  renderArticleInspector,
  showMention,
  selectClaim,
  setStatus,
  refreshCounts,
  moveSelection,
});

// Selection and flagging: a selection in the reader becomes a claim, and the assistant's
// suggestions are stepped through, accepted or dismissed.

import { api } from "./ipc.js";
import { selectionOffsets, revealSuggestion, selectSuggestionMarks } from "./reader.js";
import { renderSuggestionInspector } from "./inspector.js";
import { $, state, actions, register, notify, attempt } from "./state.js";

async function flagSelection() {
  if (!state.article) return;
  if (state.readingVersion) {
    notify("Claims are flagged on the newest version: switch back to it first.");
    return;
  }
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
  actions.drawArticle();
  await actions.selectClaim(claim.id);
  notify(`Flagged claim ${claim.id}.`);
  actions.refreshCounts();
}

function selectSuggestion(start) {
  const suggestion = actions.visibleSuggestions().find((s) => s.start === start);
  if (!suggestion) return;
  state.selectedSuggestion = start;
  state.selectedClaimId = null;
  for (const mark of $("article-text").querySelectorAll("mark.claim.selected")) mark.classList.remove("selected");
  selectSuggestionMarks($("article-text"), start);
  revealSuggestion($("article-text"), start);
  renderSuggestionInspector(
    $("inspector"),
    suggestion,
    actions.findingsFor(suggestion, suggestion.text),
    { accept: acceptSuggestion, dismiss: dismissSuggestion },
    actions.showMention,
  );
}

/** Selects the next (step 1) or previous (-1) suggestion from the selection or claim. */
function moveToSuggestion(step) {
  const list = actions.visibleSuggestions();
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
  return actions.visibleSuggestions().find((s) => s.start === state.selectedSuggestion) ?? null;
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
  actions.drawArticle();
  await actions.selectClaim(claim.id);
  notify(`Accepted as claim ${claim.id}${claim.claimant ? `, claimant ${claim.claimant}` : ""}.`);
  actions.refreshCounts();
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
  actions.showHistoryHead();
  for (const mark of $("article-text").querySelectorAll(`mark.suggestion[data-suggestion-start="${suggestion.start}"]`)) {
    mark.replaceWith(...mark.childNodes);
  }
  const next = actions.visibleSuggestions().find((s) => s.start > suggestion.start);
  state.selectedSuggestion = null;
  if (next) selectSuggestion(next.start);
  else actions.renderArticleInspector();
}

/** Shows or hides the suggested claims; the choice is remembered on this computer. */
function toggleSuggestions() {
  state.showSuggestions = !state.showSuggestions;
  localStorage.setItem("factdesk.showSuggestions", state.showSuggestions ? "on" : "off");
  $("suggestions-toggle").setAttribute("aria-pressed", String(state.showSuggestions));
  if (!state.showSuggestions) state.selectedSuggestion = null;
  if (state.article) actions.drawArticle();
  if (state.selectedClaimId === null && state.selectedSuggestion === null) actions.renderArticleInspector();
}

register({ flagSelection, selectSuggestion, moveToSuggestion, acceptSuggestion, dismissSuggestion, toggleSuggestions });

// The reader: an article's canonical text as paragraphs, every claim a <mark> by status.
// Overlapping claims nest; a claim that crosses another's edge is split into fragments,
// all carrying its data-claim-id. The assistant's suggestions are faint marks where no
// claim is. Offsets are code points into the canonical text.

import { h, fill, formatDate } from "./dom.js";
import { STATUSES, statusById } from "./vocabulary.js";

/** Text node → code-point offset of its first character in the canonical text. */
let nodeOffsets = new WeakMap();

function codePoints(text) {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** Splits `text` (a string) into an array of code points, once per render. */
function toCodePoints(text) {
  return Array.from(text);
}

/** Claims sorted outermost first: by start, then longest. */
function nestingOrder(a, b) {
  return a.start - b.start || b.end - a.end || a.id - b.id;
}

/**
 * Renders the article body into `container`. `view` holds `selectedClaimId`,
 * `onClaimClick(id)`, `suggestions` (not overlapping any claim), `selectedSuggestion`
 * (its start) and `onSuggestionClick(start)`. Returns the claims in reading order.
 */
export function renderArticle(container, article, view) {
  const { selectedClaimId, onClaimClick, suggestions = [], selectedSuggestion = null, onSuggestionClick } = view;
  nodeOffsets = new WeakMap();
  const chars = toCodePoints(article.text);
  // An orphaned claim's offsets index an older version of the text: it has no place here.
  const placed = article.claims.filter((c) => c.anchor?.state !== "orphaned");
  const claims = [...placed].sort(nestingOrder);

  // Segment boundaries: every claim and suggestion edge and every paragraph break.
  const cuts = new Set([0, chars.length]);
  for (const c of [...claims, ...suggestions]) {
    cuts.add(c.start);
    cuts.add(c.end);
  }
  const paragraphBreaks = [];
  for (let i = 0; i + 1 < chars.length; i++) {
    if (chars[i] === "\n" && chars[i + 1] === "\n") {
      let end = i;
      while (end < chars.length && chars[end] === "\n") end++;
      paragraphBreaks.push([i, end]);
      cuts.add(i);
      cuts.add(end);
      i = end - 1;
    }
  }
  const boundaries = [...cuts].sort((a, b) => a - b);
  const isBreak = new Map(paragraphBreaks.map(([s, e]) => [s, e]));

  const body = h("div", { class: "article-body" });
  let paragraph = h("p");
  body.append(paragraph);
  const firstFragment = new Set();
  // Stack of open marks: [{ claim, element }]
  let stack = [];

  for (let b = 0; b + 1 < boundaries.length; b++) {
    const from = boundaries[b];
    const to = boundaries[b + 1];
    if (isBreak.has(from)) {
      paragraph = h("p");
      body.append(paragraph);
      stack = [];
      continue;
    }
    const covering = claims.filter((c) => c.start <= from && c.end >= to);
    // Keep the open marks that still cover this segment, in order; reopen the rest.
    let keep = 0;
    while (keep < stack.length && keep < covering.length && stack[keep].claim === covering[keep]) keep++;
    stack = stack.slice(0, keep);
    for (const claim of covering.slice(keep)) {
      const parent = stack.length ? stack[stack.length - 1].element : paragraph;
      const mark = h("mark", {
        class: markClass(claim, claim.id === selectedClaimId),
        dataset: { claimId: claim.id, status: claim.status },
        title: markTitle(claim),
        onclick: (event) => {
          event.stopPropagation();
          if (!window.getSelection().isCollapsed) return;
          onClaimClick(claim.id);
        },
      });
      if (!firstFragment.has(claim.id)) {
        firstFragment.add(claim.id);
        mark.dataset.first = "";
      }
      parent.append(mark);
      stack.push({ claim, element: mark });
    }
    const text = document.createTextNode(chars.slice(from, to).join(""));
    nodeOffsets.set(text, from);
    const suggestion = covering.length ? null : suggestions.find((s) => s.start <= from && s.end >= to);
    if (suggestion) {
      paragraph.append(suggestionMark(suggestion, suggestion.start === selectedSuggestion, text, onSuggestionClick));
    } else {
      (stack.length ? stack[stack.length - 1].element : paragraph).append(text);
    }
  }
  fill(container, body);
  return [...placed].sort((a, b) => a.start - b.start || a.end - b.end);
}

function suggestionMark(suggestion, selected, text, onClick) {
  return h(
    "mark",
    {
      class: `suggestion${selected ? " selected" : ""}`,
      dataset: { suggestionStart: suggestion.start, suggestionEnd: suggestion.end },
      title: `Suggested claim (${Math.round(suggestion.score * 100)}%): ${suggestion.reasons.join("; ")} · A accept · X dismiss`,
      onclick: (event) => {
        event.stopPropagation();
        if (!window.getSelection().isCollapsed) return;
        onClick(suggestion.start);
      },
    },
    text,
  );
}

/** Marks the suggestion starting at `start` (or none) as the selected one. */
export function selectSuggestionMarks(container, start) {
  for (const mark of container.querySelectorAll("mark.suggestion")) {
    mark.classList.toggle("selected", Number(mark.dataset.suggestionStart) === start);
  }
}

function markClass(claim, selected) {
  return `claim status-${claim.status}${selected ? " selected" : ""}${claim.warnings.length ? " warned" : ""}`;
}

function markTitle(claim) {
  return `${statusById[claim.status].label}${claim.claimant ? ` · ${claim.claimant}` : ""}`;
}

/**
 * Restyles one claim's highlights in place after a change that keeps its span (status,
 * claimant, warnings): no re-render of the article, so a status key repaints at once.
 */
export function restyleClaim(container, claim) {
  for (const mark of container.querySelectorAll(`mark[data-claim-id="${claim.id}"]`)) {
    mark.className = markClass(claim, mark.classList.contains("selected"));
    mark.dataset.status = claim.status;
    mark.title = markTitle(claim);
  }
}

/** The article header: title, metadata, legend. */
export function renderHeader(container, article) {
  const meta = [article.outlet, article.dateline, formatDate(article.published), article.author && `By ${article.author}`]
    .filter(Boolean)
    .join(" · ");
  fill(
    container,
    h("h1", { class: "article-title" }, article.title),
    meta ? h("p", { class: "article-meta" }, meta) : null,
    h("p", { class: "article-meta small" }, `${article.word_count} words · imported from ${article.file_name}`),
    h(
      "ul",
      { class: "legend", "aria-label": "Status colours" },
      STATUSES.map((s) => h("li", { class: `legend-item status-${s.id}` }, h("span", { class: "swatch" }), `${s.icon} ${s.label}`)),
    ),
  );
}

/** The current text selection as code-point offsets into the article, trimmed of white space. */
export function selectionOffsets(container) {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.commonAncestorContainer)) return null;
  const start = pointOffset(container, range.startContainer, range.startOffset, "start");
  const end = pointOffset(container, range.endContainer, range.endOffset, "end");
  if (start === null || end === null || end <= start) return null;
  const text = range.toString();
  const leading = codePoints(text) - codePoints(text.trimStart());
  const trailing = codePoints(text) - codePoints(text.trimEnd());
  const trimmed = { start: start + leading, end: end - trailing };
  return trimmed.end > trimmed.start ? trimmed : null;
}

/** Code-point offset of a DOM point (node, offset) inside the article body. */
function pointOffset(container, node, offset, edge) {
  if (node.nodeType === Node.TEXT_NODE) {
    const base = nodeOffsets.get(node);
    return base === undefined ? null : base + codePoints(node.data.slice(0, offset));
  }
  // An element boundary: use the nearest text node after (for a start) or before (for an end).
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const child = node.childNodes[offset] || null;
  let last = null;
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const after = child ? child.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING || child.contains(text)
      : node.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING;
    const inside = node.contains(text);
    const isAfterPoint = child ? after : !inside && after;
    if (isAfterPoint) {
      if (edge === "start") return nodeOffsets.get(text) ?? null;
      return last ? nodeOffsets.get(last) + codePoints(last.data) : null;
    }
    last = text;
  }
  return last && edge === "end" ? nodeOffsets.get(last) + codePoints(last.data) : null;
}

/** Scrolls the first fragment of a claim into view. */
export function revealClaim(container, claimId) {
  const mark = container.querySelector(`mark[data-claim-id="${claimId}"]`);
  if (mark) mark.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

/** UTF-16 index of the code point at `offset` in `text`. */
function utf16Index(text, offset) {
  let index = 0;
  let count = 0;
  for (const char of text) {
    if (count === offset) return index;
    index += char.length;
    count += 1;
  }
  return index;
}

/**
 * Selects the text at code points `start..end` of the article, as if the user had
 * dragged over it (F then flags it), and scrolls it into view.
 */
export function selectSpan(container, start, end) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let from = null;
  let to = null;
  for (let node = walker.nextNode(); node && !to; node = walker.nextNode()) {
    const base = nodeOffsets.get(node);
    if (base === undefined) continue;
    const length = codePoints(node.data);
    if (!from && start >= base && start < base + length) from = [node, utf16Index(node.data, start - base)];
    if (from && end > base && end <= base + length) to = [node, utf16Index(node.data, end - base)];
  }
  if (!from || !to) return false;
  const range = document.createRange();
  range.setStart(...from);
  range.setEnd(...to);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  from[0].parentElement.scrollIntoView({ block: "center", behavior: "smooth" });
  return true;
}

/** Scrolls a suggestion into view. */
export function revealSuggestion(container, start) {
  const mark = container.querySelector(`mark.suggestion[data-suggestion-start="${start}"]`);
  if (mark) mark.scrollIntoView({ block: "nearest", behavior: "smooth" });
}

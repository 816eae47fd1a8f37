// The library pane's rows: an article with claim counts, a full-text search hit, a claim
// on the claims board. The lists around them are `VirtualList`s (virtual-list.js): the
// pane draws only the rows in view, fetched a page at a time.

import { h, formatDate, statusBadge } from "./dom.js";
import { STATUSES, labelOf } from "./vocabulary.js";

/** Row heights in pixels (CSS keeps each row's content inside its height). */
export const ARTICLE_ROW = 84;
export const SEARCH_ROW = 100;
export const BOARD_ROW = 100;

function countsBadges(counts) {
  const shown = STATUSES.filter((s) => counts[s.id] > 0);
  if (!shown.length) return h("span", { class: "muted small" }, "no claims yet");
  return shown.map((s) => statusBadge(s.id, counts[s.id]));
}

export function articleRow(a, onOpen) {
  return h(
    "li",
    { class: "article-row", dataset: { articleId: a.id } },
    h(
      "button",
      { class: "row-button", type: "button", onclick: () => onOpen(a.id), title: a.title },
      h("span", { class: "row-title" }, a.title),
      h("span", { class: "row-meta" }, [a.outlet, formatDate(a.published)].filter(Boolean).join(" · ") || a.file_name),
      h(
        "span",
        { class: "badges" },
        countsBadges(a.claim_counts),
        a.to_recheck ? h("span", { class: "badge warning-badge recheck-badge", title: "Claims whose passage changed or vanished in a new version" }, `⚠ ${a.to_recheck} to re-check`) : null,
        a.version > 1 ? h("span", { class: "muted small" }, ` v${a.version}`) : null,
      ),
    ),
  );
}

export function searchRow(hit, onOpen) {
  return h(
    "li",
    { class: "search-hit", dataset: { articleId: hit.article_id } },
    h(
      "button",
      { class: "row-button", type: "button", onclick: () => onOpen(hit.article_id, hit.claim_id) },
      h("span", { class: "row-meta" }, hit.kind === "claim" ? `Claim in “${hit.title}”` : "Article"),
      hit.kind === "article" ? h("span", { class: "row-title" }, hit.title) : null,
      h("span", { class: "snippet" }, snippetNodes(hit.snippet)),
    ),
  );
}

/** FTS marks matches with [ and ]; show them as <b> built from text, never parsed as HTML. */
function snippetNodes(snippet) {
  const parts = [];
  const pattern = /\[([^\]]*)\]/g;
  let last = 0;
  for (let match = pattern.exec(snippet); match; match = pattern.exec(snippet)) {
    parts.push(snippet.slice(last, match.index), h("b", {}, match[1]));
    last = match.index + match[0].length;
  }
  parts.push(snippet.slice(last));
  return parts;
}

/** A contested claim's status here is one member's decision of two, and it counts as undecided until an editor settles it: its card shows "contested" in the status's place, and names both decisions in the title. */
function contestedBadge(c) {
  if (!c.contested?.length) return null;
  const decisions = c.contested.map((d) => `${d.author || "before sync"}: ${labelOf("statuses", d.to)}`).join("\n");
  return h("span", { class: "badge contested-badge", title: `Members decided differently:\n${decisions}` }, "● contested");
}

export function boardRow(c, onOpen) {
  return h(
    "li",
    { class: "board-row", dataset: { boardClaimId: c.id } },
    h(
      "button",
      { class: "row-button", type: "button", onclick: () => onOpen(c.article_id, c.id) },
      h("span", { class: "badges" }, contestedBadge(c) ?? statusBadge(c.status), c.warnings.length ? h("span", { class: "badge warning-badge", title: c.warnings.join("\n") }, "⚠ check") : null),
      h("span", { class: "row-quote" }, `“${c.quote}”`),
      h("span", { class: "row-meta" }, c.article_title),
    ),
  );
}

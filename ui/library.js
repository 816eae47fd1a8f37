// The library pane: articles with claim counts, full-text search results, and the
// claims board across every article.

import { h, fill, formatDate, statusBadge } from "./dom.js";
import { STATUSES } from "./vocabulary.js";

function countsBadges(counts) {
  const shown = STATUSES.filter((s) => counts[s.id] > 0);
  if (!shown.length) return h("span", { class: "muted small" }, "no claims yet");
  return shown.map((s) => statusBadge(s.id, counts[s.id]));
}

export function renderArticles(list, articles, openArticleId, onOpen) {
  if (!articles.length) {
    fill(list, h("li", { class: "empty" }, "No articles yet. Import one, or drop files on the window."));
    return;
  }
  fill(
    list,
    articles.map((a) =>
      h(
        "li",
        { class: `article-row${a.id === openArticleId ? " current" : ""}`, dataset: { articleId: a.id } },
        h(
          "button",
          { class: "row-button", type: "button", onclick: () => onOpen(a.id), "aria-current": a.id === openArticleId ? "true" : null },
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
      ),
    ),
  );
}

export function renderSearch(list, hits, onOpen) {
  if (!hits.length) {
    fill(list, h("li", { class: "empty" }, "Nothing found."));
    return;
  }
  fill(
    list,
    hits.map((hit) =>
      h(
        "li",
        { class: "search-hit", dataset: { articleId: hit.article_id } },
        h(
          "button",
          { class: "row-button", type: "button", onclick: () => onOpen(hit.article_id, hit.claim_id) },
          h("span", { class: "row-meta" }, hit.kind === "claim" ? `Claim in “${hit.title}”` : "Article"),
          hit.kind === "article" ? h("span", { class: "row-title" }, hit.title) : null,
          h("span", { class: "snippet" }, snippetNodes(hit.snippet)),
        ),
      ),
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

export function renderBoard(list, claims, articlesById, selectedClaimId, onOpen) {
  if (!claims.length) {
    fill(list, h("li", { class: "empty" }, "No claims with this status."));
    return;
  }
  fill(
    list,
    claims.map((c) =>
      h(
        "li",
        { class: `board-row${c.id === selectedClaimId ? " current" : ""}`, dataset: { boardClaimId: c.id } },
        h(
          "button",
          { class: "row-button", type: "button", onclick: () => onOpen(c.article_id, c.id) },
          h("span", { class: "badges" }, statusBadge(c.status), c.warnings.length ? h("span", { class: "badge warning-badge", title: c.warnings.join("\n") }, "⚠ check") : null),
          h("span", { class: "row-quote" }, `“${c.quote}”`),
          h("span", { class: "row-meta" }, articlesById.get(c.article_id)?.title ?? `Article ${c.article_id}`),
        ),
      ),
    ),
  );
}

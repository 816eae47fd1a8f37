// The inspector: the selected claim's quote, claimant, status, rationale, warnings,
// evidence (with a form to add more) and history; or a suggested claim with why it was
// suggested; or, with nothing selected, the article's checks and the shortcuts.

import { h, fill, formatTime } from "./dom.js";
import { STATUSES, vocabulary, labelOf } from "./vocabulary.js";

/** [value, text] pairs for a select, from one of the core's vocabularies. */
function terms(list, describe = (term) => term.label) {
  return vocabulary[list].map((term) => [term.id, describe(term)]);
}

const graded = (term) => `${term.id} · ${term.label.toLowerCase()}`;

function options(pairs, selected) {
  return pairs.map(([value, label]) => h("option", { value, selected: value === selected }, label));
}

/** With nothing selected: the article's checks, how many suggestions, the shortcuts. */
export function renderEmptyInspector(root, { findings = [], suggestions = 0, onShow = () => {}, toRecheck = [], onPick = () => {} } = {}) {
  delete root.dataset.claimId;
  delete root.dataset.suggestionStart;
  fill(
    root,
    h("h2", { class: "pane-title" }, "Claim"),
    h("p", { class: "muted" }, "Select a highlighted claim, or select text in the article and press F to flag it."),
    recheckSection(toRecheck, onPick),
    findingsSection(findings, "Checks on this article", onShow),
    suggestions
      ? h("p", { class: "muted small", id: "suggestion-count" }, `${suggestions} suggested claim${suggestions === 1 ? "" : "s"}, underlined faintly: press `, h("kbd", {}, "S"), " to step through them.")
      : null,
    h(
      "dl",
      { class: "shortcuts" },
      [
        ["j / k", "next / previous claim"],
        ["f", "flag the selected text"],
        ["1 – 5", "set status"],
        ["s / S", "next / previous suggestion"],
        ["a / x", "accept / dismiss the suggestion"],
        ["/", "search"],
        ["Ctrl+Z", "undo your last change"],
        ["Esc", "clear the selection"],
      ].map(([key, what]) => [h("dt", {}, h("kbd", {}, key)), h("dd", {}, what)]),
    ),
  );
}

/** Claims a new version of the article changed or left without their passage. */
function recheckSection(claims, onPick) {
  if (!claims.length) return null;
  return h(
    "section",
    { class: "recheck-section", "aria-label": "Claims to re-check after the update" },
    h("h3", {}, `To re-check after the update (${claims.length})`),
    h(
      "ul",
      { class: "warnings recheck" },
      claims.map((c) =>
        h(
          "li",
          { class: "warning" },
          h("button", { type: "button", class: "mention recheck-claim", dataset: { claimId: c.id }, onclick: () => onPick(c.id) }, `${labelOf("anchor_states", c.anchor.state)}: “${c.anchor.previous_quote ?? c.quote}”`),
        ),
      ),
    ),
  );
}

/**
 * The assistant's findings (names spelled two ways, figures that differ) as warnings;
 * each mention is a button that selects it in the article (`onShow(mention)`), and a
 * finding about another article has a button that opens it (`onShow({ articleId })`).
 */
function findingsSection(findings, title, onShow) {
  if (!findings.length) return null;
  return h(
    "section",
    { class: "checks-section", "aria-label": title },
    h("h3", {}, title),
    h(
      "ul",
      { class: "warnings checks" },
      findings.map((f) =>
        h(
          "li",
          { class: "warning check" },
          h("span", { class: "check-message" }, h("span", { "aria-hidden": "true" }, "⚠ "), f.message),
          (f.mentions ?? []).length
            ? h(
                "span",
                { class: "mentions" },
                " Show: ",
                f.mentions.slice(0, 8).map((m) =>
                  h("button", { type: "button", class: "mention", title: "Select it in the article (then F flags it)", onclick: () => onShow(m) }, m.text),
                ),
              )
            : null,
          f.article_id != null
            ? h(
                "span",
                { class: "mentions" },
                h("button", { type: "button", class: "mention open-article", onclick: () => onShow({ articleId: f.article_id }) }, `Open article ${f.article_id}`),
              )
            : null,
        ),
      ),
    ),
  );
}

/** A suggested claim: the sentence, its score and reasons, the claimant it would get. */
export function renderSuggestionInspector(root, suggestion, findings, actions, onShow = () => {}) {
  delete root.dataset.claimId;
  root.dataset.suggestionStart = suggestion.start;
  const percent = Math.round(suggestion.score * 100);
  fill(
    root,
    h("h2", { class: "pane-title" }, "Suggested claim"),
    h("blockquote", { class: "claim-quote suggested" }, suggestion.text),
    h("p", { class: "field-label" }, "Claimant"),
    h("p", { id: "suggestion-claimant" }, suggestion.claimant ?? h("span", { class: "muted" }, "not stated in the text")),
    h("p", { class: "field-label" }, `Check-worthiness ${percent}%`),
    h("meter", { min: "0", max: "100", value: String(percent), "aria-label": "Check-worthiness" }),
    h("ul", { class: "reasons" }, suggestion.reasons.map((r) => h("li", {}, r))),
    findingsSection(findings, "Checks", onShow),
    h(
      "div",
      { class: "suggestion-actions" },
      h("button", { type: "button", id: "suggestion-accept", class: "primary", onclick: actions.accept }, "Accept as claim ", h("kbd", {}, "A")),
      h("button", { type: "button", id: "suggestion-dismiss", onclick: actions.dismiss }, "Dismiss ", h("kbd", {}, "X")),
    ),
    h("p", { class: "muted small" }, "Suggestions come from the sentence's structure (figures, names, attribution, comparisons), not from what is true."),
  );
}

/**
 * `actions` holds the callbacks: setStatus, saveClaimant, saveNote, addEvidence,
 * attachEvidenceFile, removeEvidence, removeClaim, openLink, openSnapshot, openEvidenceFile.
 */
export function renderInspector(root, claim, { sources, history, findings = [], onShow = () => {} }, actions) {
  root.dataset.claimId = claim.id;
  delete root.dataset.suggestionStart;
  const claimant = h("input", { id: "claimant", type: "text", value: claim.claimant ?? "", placeholder: "Who made this claim?", autocomplete: "off" });
  claimant.addEventListener("change", () => actions.saveClaimant(claimant.value));
  const note = h("textarea", { id: "note", rows: "3", placeholder: "Why this status? Sources checked, calls made…" }, claim.note ?? "");
  note.addEventListener("change", () => actions.saveNote(note.value));
  // A claim its article's new version changed or orphaned shows both texts in place of its quote.
  const moved = anchorSection(claim, actions);

  fill(
    root,
    h("h2", { class: "pane-title" }, `Claim ${claim.id}`),
    moved ?? h("blockquote", { class: "claim-quote" }, claim.quote),
    h("label", { for: "claimant", class: "field-label" }, "Claimant"),
    claimant,
    contestSection(claim),
    claim.assigned_to ? h("p", { class: "assigned muted small" }, `Assigned to ${claim.assigned_to}`) : null,
    h("p", { class: "field-label", id: "status-label" }, "Status"),
    claim.review
      ? h("p", { class: `review review-${claim.review.decision}` }, `${labelOf("reviews", claim.review.decision)} by ${claim.review.by} · ${claim.review.at.slice(0, 16).replace("T", " ")}${claim.review.note ? ` — ${claim.review.note}` : ""}`)
      : null,
    h(
      "div",
      { class: "status-buttons", role: "group", "aria-labelledby": "status-label" },
      STATUSES.map((s) =>
        h(
          "button",
          {
            type: "button",
            class: `status-button status-${s.id}`,
            dataset: { status: s.id },
            "aria-pressed": claim.status === s.id ? "true" : "false",
            title: `${s.label} (key ${s.key})`,
            onclick: () => actions.setStatus(s.id),
          },
          h("span", { class: "status-icon", "aria-hidden": "true" }, s.icon),
          ` ${s.label} `,
          h("kbd", {}, s.key),
        ),
      ),
    ),
    h("label", { for: "note", class: "field-label" }, "Rationale"),
    note,
    warnings(claim),
    findingsSection(findings, "Checks", onShow),
    evidenceSection(claim, sources, actions),
    historySection(history),
    h("p", {}, h("button", { type: "button", class: "quiet danger", onclick: actions.removeClaim }, "Remove this claim")),
  );
}

/** A claim its article's new version moved: what was decided, what is proposed, what to do. */
function anchorSection(claim, actions) {
  const anchor = claim.anchor;
  if (anchor.state !== "changed" && anchor.state !== "orphaned") return null;
  const term = vocabulary.anchor_states.find((t) => t.id === anchor.state);
  return h(
    "section",
    { class: `anchor-section anchor-${anchor.state}`, role: "alert", "aria-label": term?.label },
    h("h3", {}, `${term?.label}: ${term?.description}`),
    h(
      "div",
      { class: "side-by-side" },
      h("div", {}, h("p", { class: "field-label" }, `Decided on version ${anchor.version}`), h("blockquote", { class: "claim-quote old-quote" }, anchor.previous_quote ?? claim.quote)),
      anchor.state === "changed"
        ? h("div", {}, h("p", { class: "field-label" }, "Proposed in the newest version"), h("blockquote", { class: "claim-quote new-quote" }, claim.quote))
        : h("div", {}, h("p", { class: "field-label" }, "In the newest version"), h("p", { class: "muted" }, "The passage is no longer there.")),
    ),
    h(
      "p",
      { class: "anchor-actions" },
      anchor.state === "changed"
        ? h("button", { type: "button", id: "anchor-accept", class: "primary", onclick: actions.acceptAnchor }, "Accept the new span ", h("kbd", {}, "A"))
        : null,
      h("button", { type: "button", id: "anchor-reselect", onclick: actions.reselectAnchor, title: "Select the passage in the article first" }, "Use the selected passage ", h("kbd", {}, "E")),
    ),
  );
}

/** Two members decided this claim differently from the same state: both decisions, side by side, until an editor sets a status. */
function contestSection(claim) {
  if (!claim.contested?.length) return null;
  const label = (id) => labelOf("statuses", id);
  return h(
    "section",
    { class: "contest-section", role: "alert", "aria-label": "Contested" },
    h("h3", {}, "Contested: members decided differently. An editor settles it by setting a status (keys 1–5)."),
    h(
      "div",
      { class: "side-by-side" },
      claim.contested.map((decision) =>
        h(
          "div",
          { class: "contest-decision" },
          h("p", { class: "field-label" }, `${decision.author || "Before sync"}${decision.at ? ` · ${decision.at.slice(0, 16).replace("T", " ")}` : ""}`),
          h("p", { class: `contest-to status-${decision.to}` }, `${label(decision.from)} → ${label(decision.to)}`),
          decision.note ? h("p", { class: "muted small" }, decision.note) : null,
        ),
      ),
    ),
  );
}

function warnings(claim) {
  if (!claim.warnings.length) return null;
  return h(
    "ul",
    { class: "warnings", role: "alert", "aria-label": "Warnings" },
    claim.warnings.map((w) => h("li", { class: "warning" }, h("span", { "aria-hidden": "true" }, "⚠ "), w)),
  );
}

function grade(evidence) {
  const reliability = evidence.source.reliability ?? "–";
  const credibility = evidence.credibility ?? "–";
  return `${reliability}${credibility}`;
}

function evidenceSection(claim, sources, actions) {
  const items = claim.evidence.map((e) =>
    h(
      "li",
      { class: `evidence stance-${e.stance}`, dataset: { evidenceId: e.id } },
      h(
        "div",
        { class: "evidence-head" },
        h("span", { class: `stance stance-${e.stance}`, title: vocabulary.stances.find((t) => t.id === e.stance)?.description }, labelOf("stances", e.stance)),
        e.source.url
          ? h("button", { type: "button", class: "link", title: e.source.url, onclick: () => actions.openLink(e.id) }, e.source.title)
          : h("span", { class: "source-title" }, e.source.title),
      ),
      h(
        "div",
        { class: "evidence-meta" },
        `${labelOf("source_kinds", e.source.kind)} · grade `,
        h("abbr", { title: "Source reliability (A–F) and information credibility (1–6)" }, grade(e)),
        e.source.url ? ` · ${hostOf(e.source.url)}` : "",
      ),
      e.excerpt ? h("p", { class: "excerpt" }, `“${e.excerpt}”`) : null,
      keptCopies(e, actions),
      h("button", { type: "button", class: "quiet small", onclick: () => actions.removeEvidence(e.id), "aria-label": `Remove evidence ${e.id}` }, "Remove"),
    ),
  );
  return h(
    "section",
    { class: "evidence-section" },
    h("h3", {}, `Evidence (${claim.evidence.length})`),
    items.length ? h("ul", { class: "evidence-list" }, items) : h("p", { class: "muted small" }, "No evidence attached yet."),
    evidenceForm(sources, actions),
  );
}

/** What of the evidence is kept in the library: the captured page, the attached file. */
function keptCopies(e, actions) {
  const kept = [];
  if (e.snapshot) {
    kept.push(
      h(
        "button",
        { type: "button", class: "kept snapshot-open", title: `SHA-256 ${e.snapshot.sha256}`, onclick: () => actions.openSnapshot(e.snapshot.id) },
        h("span", { "aria-hidden": "true" }, "⎙ "),
        `Page kept ${formatTime(e.snapshot.fetched_at)} · HTTP ${e.snapshot.status}`,
      ),
    );
  }
  if (e.file) {
    kept.push(
      h(
        "button",
        { type: "button", class: "kept file-open", title: `${e.file.media_type} · SHA-256 ${e.file.sha256}`, onclick: () => actions.openEvidenceFile(e.id) },
        h("span", { "aria-hidden": "true" }, "📎 "),
        e.file.name,
      ),
    );
  }
  return kept.length ? h("div", { class: "kept-copies" }, kept) : null;
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function evidenceForm(sources, actions) {
  const source = h(
    "select",
    { id: "ev-source", "aria-label": "Source" },
    h("option", { value: "" }, "New source…"),
    sources.map((s) => h("option", { value: String(s.id) }, `${s.title}${s.url ? ` (${hostOf(s.url)})` : ""}`)),
  );
  const title = h("input", { id: "ev-title", type: "text", placeholder: "Source title", autocomplete: "off" });
  const url = h("input", { id: "ev-url", type: "url", placeholder: "https://…", autocomplete: "off" });
  const kind = h("select", { id: "ev-kind", "aria-label": "Kind of source" }, options(terms("source_kinds"), "web_page"));
  const stance = h("select", { id: "ev-stance", "aria-label": "Stance" }, options(terms("stances"), "supports"));
  const reliability = h("select", { id: "ev-reliability", "aria-label": "Source reliability" }, options([["", "Reliability —"], ...terms("reliability", graded)], ""));
  const credibility = h("select", { id: "ev-credibility", "aria-label": "Information credibility" }, options([["", "Credibility —"], ...terms("credibility", graded)], ""));
  const excerpt = h("textarea", { id: "ev-excerpt", rows: "2", placeholder: "Excerpt: the passage that bears on the claim" });
  const capture = h("input", { id: "ev-capture", type: "checkbox", checked: true });
  const captureLabel = h("label", { class: "small capture-choice", for: "ev-capture", title: "Fetch the page now and keep its exact bytes with the evidence" }, capture, " Keep a copy of the page");
  const newSourceFields = h("div", { class: "new-source" }, title, url, captureLabel, kind);
  source.addEventListener("change", () => newSourceFields.classList.toggle("hidden", source.value !== ""));

  const form = h(
    "form",
    { class: "evidence-form", "aria-label": "Add evidence" },
    h("h4", {}, "Add evidence"),
    source,
    newSourceFields,
    h("div", { class: "row" }, stance, reliability, credibility),
    excerpt,
    h(
      "div",
      { class: "row" },
      h("button", { type: "submit", id: "ev-add" }, "Add evidence"),
      h("button", { type: "button", id: "ev-attach", title: "Add the evidence with a document kept in the library (PDF, image, spreadsheet)", onclick: () => actions.attachEvidenceFile(read()) }, "Attach file…"),
    ),
  );
  const read = () => ({
    source_id: source.value ? Number(source.value) : null,
    title: title.value || null,
    url: url.value || null,
    kind: source.value ? null : kind.value,
    stance: stance.value,
    reliability: reliability.value || null,
    credibility: credibility.value ? Number(credibility.value) : null,
    excerpt: excerpt.value || null,
    capture: !source.value && Boolean(url.value) && capture.checked,
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    actions.addEvidence(read());
  });
  return form;
}

function historySection(history) {
  return h(
    "section",
    { class: "history-section" },
    h("h3", {}, "History"),
    h(
      "ol",
      { class: "history" },
      history.map((e) =>
        h(
          "li",
          { dataset: { eventId: e.id } },
          h("time", { datetime: e.at }, formatTime(e.at)),
          " ",
          h("strong", {}, e.actor),
          // The core words every kind of event (Event::describe); the UI adds nothing.
          ` ${e.summary}`,
        ),
      ),
    ),
  );
}

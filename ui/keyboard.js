// The keyboard: j/k between claims, f to flag, 1–5 for statuses, s/S/a/x for
// suggestions (a also accepts a changed claim's new span, e re-places a claim on the
// selection), r for the report, / for search, Esc to clear. Keys act through the
// registered actions; typing in a field is never taken for a shortcut.

import { STATUSES } from "./vocabulary.js";
import { $, actions } from "./state.js";

function isTyping(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function onKey(event) {
  // Ctrl+Z (Cmd+Z): undo the last change, unless a field is being typed in (its own undo).
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "z" && !isTyping(event.target)) {
    event.preventDefault();
    actions.undo();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  // The report dialog is modal: its own controls and Esc (closes it) only.
  if ($("report-dialog").open || $("backups-dialog").open || $("changes-dialog").open || $("snapshot-dialog").open) return;
  if (event.key === "Escape") {
    if (isTyping(event.target)) event.target.blur();
    window.getSelection().removeAllRanges();
    actions.selectClaim(null);
    return;
  }
  if (isTyping(event.target)) return;
  const status = STATUSES.find((s) => s.key === event.key);
  const byKey = {
    j: () => actions.moveSelection(1),
    k: () => actions.moveSelection(-1),
    f: actions.flagSelection,
    r: actions.openReport,
    s: () => actions.moveToSuggestion(1),
    S: () => actions.moveToSuggestion(-1),
    // A changed claim's proposed span first; else the selected suggestion.
    a: async () => (await actions.acceptAnchor()) || actions.acceptSuggestion(),
    e: actions.reselectAnchor,
    x: actions.dismissSuggestion,
    "/": () => $("search").focus(),
  };
  if (status) {
    event.preventDefault();
    actions.setStatus(status.id);
  } else if (byKey[event.key]) {
    event.preventDefault();
    byKey[event.key]();
  }
}

export function listenForKeys() {
  document.addEventListener("keydown", onKey);
}

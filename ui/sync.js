// The team sync indicator (synced, N waiting, offline, contested) in the library pane,
// and redrawing the desk when a background sync brought other members' changes. Hidden
// for a library that is not linked to a hub.

import { api, onSyncChanged } from "./ipc.js";
import { h } from "./dom.js";
import { $, state, actions } from "./state.js";

const WORDING = {
  synced: () => "Synced",
  waiting: (view) => `${view.waiting} waiting to sync`,
  offline: () => "Offline: changes wait here",
  contested: (view) => `${view.contested} contested`,
};

function show(view) {
  const indicator = $("sync-indicator");
  const wording = WORDING[view?.state];
  indicator.hidden = !wording;
  if (!wording) return;
  indicator.dataset.state = view.state;
  indicator.textContent = `● ${wording(view)} · ${view.workspace}`;
  if (view.state === "contested") indicator.append(" ", h("button", { type: "button", class: "link", onclick: showContested }, "Show"));
  indicator.title = [
    view.workspace && `Workspace ${view.workspace}, as ${view.member} (${view.role})`,
    view.message,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** The claims board's "Contested" list: what an editor has to settle. */
function showContested() {
  state.view = "board";
  state.query = "";
  $("search").value = "";
  state.boardStatus = "team:contested";
  $("board-filter").value = "team:contested";
  actions.renderLeftPane();
}

async function changed(view) {
  show(view);
  if (!view.replayed) return;
  // Other members' changes arrived: the lists, counts and the open article follow.
  await actions.refreshCounts();
  if (state.article) await actions.openArticle(state.article.id, state.selectedClaimId);
}

/** A shared desk's own board lists, beside the statuses. */
function addTeamFilters(view) {
  const filter = $("board-filter");
  if (!view || view.state === "not_linked" || filter.querySelector('option[value="team:mine"]')) return;
  filter.append(h("option", { value: "team:mine" }, "Assigned to me"));
  if (view.role === "editor") filter.append(h("option", { value: "team:review" }, "Waiting for my review"));
  filter.append(h("option", { value: "team:contested" }, "Contested"));
}

export async function wireSync() {
  onSyncChanged((view) => {
    addTeamFilters(view);
    changed(view);
  });
  const view = await api.syncStatus().catch(() => null);
  addTeamFilters(view);
  show(view);
}

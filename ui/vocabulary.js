// The ledger's words as the core labels them: statuses, stances, source kinds, grades and
// history event kinds, fetched once at start (`vocabulary` command) before anything is
// drawn. The UI adds only each status's number key.

import { api } from "./ipc.js";

/** The keys that set each status; label, description and symbol come from the core. */
const STATUS_KEYS = ["1", "2", "3", "4", "5"];

/** Filled by `loadVocabulary`: lists of { id, label, description }. */
export const vocabulary = { statuses: [], stances: [], source_kinds: [], reliability: [], credibility: [], event_kinds: [], reviews: [], roles: [] };

/** The statuses in order, each { id, label, description, symbol, icon (= symbol), key }; filled at start. */
export const STATUSES = [];
export const statusById = {};

export async function loadVocabulary() {
  Object.assign(vocabulary, await api.vocabulary());
  for (const [index, status] of vocabulary.statuses.entries()) {
    const entry = { ...status, icon: status.symbol, key: STATUS_KEYS[index] ?? "" };
    STATUSES.push(entry);
    statusById[entry.id] = entry;
  }
}

/** The label of `id` in one of the lists (`"source_kinds"`, `"stances"`…), or the id itself. */
export function labelOf(list, id) {
  return vocabulary[list].find((term) => term.id === String(id))?.label ?? String(id);
}

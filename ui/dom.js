// Building DOM from data. Text always enters the page as text nodes, never as HTML:
// article text, quotes and source titles come from untrusted files, and bidi overrides in
// them are shown, not obeyed (the reader's article body keeps its own text nodes, whose
// offsets must match the canonical text).

import { statusById } from "./vocabulary.js";

/**
 * h("li", { class: "row", dataset: { articleId: 3 }, onclick: f }, "text", child)
 * Attributes are set with setAttribute (never `style`), `dataset` entries become
 * data-* attributes, `on*` functions become listeners; strings become text nodes.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "dataset") {
      for (const [key, data] of Object.entries(value)) element.dataset[key] = String(data);
    } else if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name === "style") {
      throw new Error("inline styles are blocked by the CSP; use a class");
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

/** Bidi embeddings, overrides and isolates: "Invoice \u202Efdp.exe" would read "Invoice exe.pdf". */
const BIDI_OVERRIDES = /[\u202A-\u202E\u2066-\u2069]/g;

/** Text as it may be shown: a bidi override becomes visible (`<U+202E>`) instead of acting. */
export function shown(text) {
  return String(text).replace(BIDI_OVERRIDES, (c) => `<U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}>`);
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(shown(child)));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A small status badge: icon and word, coloured by status (never colour alone). */
export function statusBadge(status, count) {
  const s = statusById[status];
  const text = count === undefined ? `${s.icon} ${s.label}` : `${s.icon} ${count}`;
  return h("span", { class: `badge status-${status}`, title: count === undefined ? null : `${count} ${s.label.toLowerCase()}` }, text);
}

/** `2025-09-18T10:11:12.123456Z` → `18 Sep 2025, 10:11` in local time. */
export function formatTime(rfc3339) {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  return date.toLocaleString(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function formatDate(ymd) {
  if (!ymd) return null;
  const date = new Date(`${ymd}T00:00:00`);
  return Number.isNaN(date.getTime()) ? ymd : date.toLocaleDateString(undefined, { day: "numeric", month: "long", year: "numeric" });
}

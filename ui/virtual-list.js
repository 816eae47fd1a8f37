// A list of any length drawn a screenful at a time: rows of one fixed height are fetched
// a page at a time as they scroll into view (the core counts and pages the list), and
// only the rows near the visible part are in the DOM. Used by the article list, the
// claims board and search results, so a library of 100,000 articles opens as fast as
// one of ten.

import { h, fill } from "./dom.js";

/** Rows drawn beyond the visible part, above and below, so a scroll never shows a gap. */
const OVERSCAN = 8;

/**
 * The tallest the list is made, in pixels. WebKit cannot lay out a box much taller than
 * 33 million pixels (a million claims at 100 px is 100 million): past this height the
 * scroll position maps onto the rows in proportion instead of one pixel for one pixel.
 */
const MAX_HEIGHT = 16_000_000;

export class VirtualList {
  /**
   * `viewport` scrolls; `list` (inside it) holds the rows. A source says how to draw:
   * { key, rowHeight, pageSize, fetchPage(offset, limit) → { total, rows }, renderRow(row, index) → <li>,
   *   isCurrent(row) → bool (the open article, the selected claim), emptyText }.
   */
  constructor(viewport, list) {
    this.viewport = viewport;
    this.list = list;
    this.source = null;
    this.pages = new Map(); // page number → rows
    this.pending = new Map(); // page number → promise
    this.total = 0;
    this.generation = 0; // bumped by show/refresh: answers to older requests are dropped
    this.drawn = new Map(); // index → { stamp, item } of the rows in the DOM
    this.onTotal = () => {};
    viewport.addEventListener("scroll", () => this.scheduleDraw(), { passive: true });
    new ResizeObserver(() => this.scheduleDraw()).observe(viewport);
  }

  /** Shows `source` from its top (or keeps the scroll position if it is the same list). */
  async show(source) {
    const same = this.source?.key === source.key;
    this.source = source;
    if (!same) this.viewport.scrollTop = 0;
    await this.reload();
  }

  /** Fetches again the pages in view (counts and statuses may have changed), keeping the scroll. */
  async reload() {
    this.generation += 1;
    this.pages.clear();
    this.pending.clear();
    const first = await this.fetch(this.visiblePages()[0] ?? 0);
    if (first === null) return;
    await Promise.all(this.visiblePages().map((page) => this.fetch(page)));
    this.draw();
  }

  /** Redraws the rows in view from what is loaded (the selection changed). */
  redraw() {
    if (this.source) this.draw();
  }

  /** The loaded row at `index`, if any. */
  rowAt(index) {
    const { pageSize } = this.source;
    return this.pages.get(Math.floor(index / pageSize))?.[index % pageSize];
  }

  /** The list's height in pixels: one row height a row, up to MAX_HEIGHT. */
  height() {
    return Math.min(this.total * this.source.rowHeight, MAX_HEIGHT);
  }

  /**
   * The row at the top of the view, as a fractional index. One pixel scrolled is one
   * pixel of rows while the list fits in MAX_HEIGHT; past that, in proportion.
   */
  topIndex() {
    const { rowHeight } = this.source;
    const view = this.viewport.clientHeight;
    const scrollable = Math.max(1, this.height() - view);
    const rowsBelowTop = Math.max(0, this.total - view / rowHeight);
    return Math.min(1, this.viewport.scrollTop / scrollable) * rowsBelowTop;
  }

  visibleRange() {
    const { rowHeight } = this.source;
    const top = this.topIndex();
    const first = Math.max(0, Math.floor(top) - OVERSCAN);
    const last = Math.min(this.total, Math.ceil(top + this.viewport.clientHeight / rowHeight) + OVERSCAN);
    return [first, Math.max(first, last)];
  }

  visiblePages() {
    if (!this.source) return [];
    const [first, last] = this.visibleRange();
    const { pageSize } = this.source;
    const pages = [];
    for (let page = Math.floor(first / pageSize); page * pageSize < Math.max(last, 1); page += 1) pages.push(page);
    return pages;
  }

  /** Loads one page (once); resolves to its rows, or null if the list changed meanwhile. */
  fetch(page) {
    if (this.pages.has(page)) return Promise.resolve(this.pages.get(page));
    if (this.pending.has(page)) return this.pending.get(page);
    const generation = this.generation;
    const { pageSize } = this.source;
    const request = this.source
      .fetchPage(page * pageSize, pageSize)
      .then((answer) => {
        if (generation !== this.generation || !answer) return null;
        this.total = answer.total;
        this.onTotal(answer);
        this.pages.set(page, answer.rows);
        return answer.rows;
      })
      .finally(() => {
        if (generation === this.generation) this.pending.delete(page);
      });
    this.pending.set(page, request);
    return request;
  }

  scheduleDraw() {
    if (this.frame || !this.source) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = null;
      this.draw();
      const missing = this.visiblePages().filter((page) => !this.pages.has(page));
      if (missing.length) Promise.all(missing.map((page) => this.fetch(page))).then(() => this.draw());
    });
  }

  /**
   * Draws the rows in view. A row already drawn with the same content is kept as it is
   * (focus, hover and references to it survive a reload); the current row is marked by
   * `source.isCurrent`, not by drawing the row again.
   */
  draw() {
    const { rowHeight, renderRow, emptyText, isCurrent } = this.source;
    if (this.total === 0) {
      this.drawn = new Map();
      this.list.style.height = "";
      fill(this.list, h("li", { class: "empty" }, emptyText));
      return;
    }
    this.list.style.height = `${this.height()}px`;
    const [first, last] = this.visibleRange();
    // Row i sits where the view's top row is, plus its distance from it.
    const origin = this.viewport.scrollTop - this.topIndex() * rowHeight;
    const next = new Map();
    for (let index = first; index < last; index += 1) {
      const row = this.rowAt(index);
      const stamp = row ? JSON.stringify(row) : null;
      const old = this.drawn.get(index);
      const entry = old && old.stamp === stamp ? old : { stamp, item: row ? renderRow(row, index) : h("li", { class: "loading", "aria-hidden": "true" }) };
      entry.item.style.top = `${origin + index * rowHeight}px`;
      entry.item.style.height = `${rowHeight}px`;
      next.set(index, entry);
    }
    const keep = new Set([...next.values()].map((entry) => entry.item));
    for (const child of [...this.list.children]) if (!keep.has(child)) child.remove();
    // Rows in the DOM in list order, so Tab and screen readers follow the list.
    let previous = null;
    for (const [index, entry] of next) {
      const expected = previous ? previous.nextSibling : this.list.firstChild;
      if (entry.item !== expected) this.list.insertBefore(entry.item, expected);
      previous = entry.item;
      const row = this.rowAt(index);
      const current = Boolean(row && isCurrent?.(row));
      entry.item.classList.toggle("current", current);
      entry.item.firstElementChild?.toggleAttribute("aria-current", current);
    }
    this.drawn = next;
  }
}

/**
 * The rows of a long fixed-pitch list worth putting in the page: those in view plus a few on
 * each side, so a 20,000-row playlist costs what a 20-row one does.
 */
export interface ListWindow {
  first: number;
  /** One past the last row rendered. */
  last: number;
}

export function listWindow(rows: number, rowHeight: number, scrollTop: number, viewHeight: number, overscan = 4): ListWindow {
  if (rows <= 0 || rowHeight <= 0) return { first: 0, last: 0 };
  const first = Math.max(0, Math.min(rows - 1, Math.floor(scrollTop / rowHeight) - overscan));
  const last = Math.min(rows, Math.ceil((scrollTop + Math.max(0, viewHeight)) / rowHeight) + overscan);
  return { first, last: Math.max(first + 1, last) };
}

/** The scrollTop that brings row `i` fully into view, moving as little as possible. */
export function scrollToRow(i: number, rowHeight: number, scrollTop: number, viewHeight: number): number {
  const top = i * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewHeight) return top + rowHeight - viewHeight;
  return scrollTop;
}

/** How many row elements a recycled window needs so that every row of any window fits in one. */
export function poolSize(rowHeight: number, viewHeight: number, overscan = 4): number {
  return Math.ceil(Math.max(0, viewHeight) / rowHeight) + 2 * overscan + 1;
}

/**
 * The row each of `size` recycled elements shows (-1: none). Row i always sits in element
 * i % size, so while the list scrolls a row that stays in the window keeps its element, and
 * only the rows coming into view are written, into the elements of the rows that left: a
 * scroll frame updates a few rows' text instead of building and discarding whole rows.
 */
export function recycledSlots(win: ListWindow, size: number): number[] {
  const n = Math.max(size, win.last - win.first);
  const out = new Array<number>(n);
  for (let s = 0; s < n; s++) {
    const i = win.first + ((((s - win.first) % n) + n) % n);
    out[s] = i < win.last ? i : -1;
  }
  return out;
}

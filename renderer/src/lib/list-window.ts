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

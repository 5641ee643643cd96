/**
 * CSV as RFC 4180 describes it: CRLF line ends, fields quoted when they hold a comma, a quote or
 * a line break, quotes doubled. Written with a UTF-8 byte-order mark because Excel otherwise
 * reads UTF-8 as the local code page and mangles non-ASCII titles.
 */
export type CsvValue = string | number | null;

export const UTF8_BOM = '\uFEFF';

/**
 * Spreadsheet apps run a cell that starts with one of these as a formula ("CSV injection").
 * Text cells are prefixed with an apostrophe; numbers are left alone (a negative valence is data).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  if (value === null) return '';
  let text: string;
  if (typeof value === 'number') {
    text = Number.isFinite(value) ? String(value) : '';
  } else {
    text = FORMULA_START.test(value) ? `'${value}` : value;
  }
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly CsvValue[][]): string {
  const lines = [header.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))];
  return UTF8_BOM + lines.join('\r\n') + '\r\n';
}

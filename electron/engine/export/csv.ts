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

/** The byte-order mark and the header line. */
export function csvHead(header: readonly string[]): string {
  return UTF8_BOM + csvLine(header);
}

/** One record and its line end. */
export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

export function toCsv(header: readonly string[], rows: readonly CsvValue[][]): string {
  return csvHead(header) + rows.map(csvLine).join('');
}

/**
 * Reads the data sets' CSV files (the 4Q labels, the dev set's manifest, the real-music check's
 * labels, the game-music supplement's): the scripts and the tests share this one reader.
 */
/** Minimal RFC 4180 reader: quoted fields may hold commas, quotes (doubled) and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * The rows after the header as records by column name ('' for a missing column); rows of another
 * width are skipped. A file without even a header is an error, not an empty list.
 */
export function csvRecords(text: string, what = 'CSV file'): ((name: string) => string)[] {
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error(`${what} is empty`);
  return rows.filter((r) => r.length === header.length).map((r) => (name: string) => r[header.indexOf(name)] ?? '');
}

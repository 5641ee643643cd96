/**
 * index.html: a contact sheet that opens from disk with no network. Thumbnails are data: URIs,
 * the stylesheet is inline, there is no script at all, and a CSP meta tag forbids anything else;
 * songs play from their relative paths.
 */
import { QUADRANT_INFO, QUADRANTS, type Quadrant } from '../../../shared/emotion.ts';
import type { MatchMode } from '../../../shared/match.ts';
import { CONTACT_SHEET_CSS } from './contact-sheet-style.ts';
import type { ExportRow, PairRow } from './export-rows.ts';
import { escapeHtml as h, formatDuration, hrefFor, inkFor } from './html-text.ts';

export const CONTACT_SHEET_CSP = "default-src 'none'; img-src data:; media-src 'self' file:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const MODE_WORDS: Record<MatchMode, string> = {
  match: 'songs that feel like each portrait',
  lift: 'songs that lift each portrait toward happy and excited',
  calm: 'songs that move each portrait toward calm',
};

/** Portraits are mostly taller than wide; every frame has this shape and the image is fitted inside. */
const FRAME_ASPECT = 4 / 5;

const pct = (x: number): string => `${(Math.round(x * 1000) / 1000).toString()}%`;

function quadrantVars(q: Quadrant): string {
  const color = QUADRANT_INFO[q].color;
  return `--q:${color};--qt:${inkFor(color)}`;
}

function badge(q: Quadrant, prefix = '', cls = ''): string {
  return `<span class="badge${cls ? ` ${cls}` : ''}" style="${quadrantVars(q)}" title="${h(QUADRANT_INFO[q].words)}">${h(prefix + QUADRANT_INFO[q].label)}</span>`;
}

/** Where the image sits in the frame, in percentages of the frame (letterboxed, centred). */
function fit(width: number, height: number): { left: number; top: number; width: number; height: number } {
  const aspect = width / height;
  if (aspect >= FRAME_ASPECT) {
    const hPct = (FRAME_ASPECT / aspect) * 100;
    return { left: 0, top: (100 - hPct) / 2, width: 100, height: hPct };
  }
  const wPct = (aspect / FRAME_ASPECT) * 100;
  return { left: (100 - wPct) / 2, top: 0, width: wPct, height: 100 };
}

function frame(row: ExportRow, thumb: string | null): string {
  const { portrait } = row.item;
  const chosen = row.item.entry.faceIndex;
  // A pair chosen by the picture mood (no face) says so: it is never shown as a face's reading.
  const moodQ = row.kind === 'pair'
    ? (row.reading.kind === 'picture-mood' ? row.reading.quadrant : null)
    : row.item.entry.readingKind === 'picture-mood' ? (row.item.entry.faceQuadrant ?? null) : null;
  const faceQ = row.kind === 'pair' ? (row.face?.quadrant ?? null) : row.item.entry.readingKind === 'faces' ? (row.item.entry.faceQuadrant ?? null) : null;
  const parts: string[] = [];
  if (thumb && portrait.width && portrait.height) {
    const f = fit(portrait.width, portrait.height);
    const boxes = portrait.faces.map((face, i) => {
      const [x, y, w, bh] = face.box;
      const style = `left:${pct((x / portrait.width!) * 100)};top:${pct((y / portrait.height!) * 100)};width:${pct((w / portrait.width!) * 100)};height:${pct((bh / portrait.height!) * 100)};${quadrantVars(face.quadrant)}`;
      return `<span class="box${i === chosen ? ' chosen' : ''}" style="${style}" title="Face ${i + 1}: ${h(QUADRANT_INFO[face.quadrant].words)}"></span>`;
    });
    parts.push(`<figure style="left:${pct(f.left)};top:${pct(f.top)};width:${pct(f.width)};height:${pct(f.height)}"><img src="${thumb}" alt="${h(portrait.name)}">${boxes.join('')}</figure>`);
  } else {
    parts.push(`<div class="placeholder">${h(portrait.error ? 'This image could not be read' : 'No preview')}</div>`);
  }
  if (faceQ) parts.push(badge(faceQ, 'Face '));
  else if (moodQ) parts.push(badge(moodQ, 'Picture mood ', 'mood'));
  parts.push(`<span class="pos">#${row.position}</span>`);
  return `<div class="frame">${parts.join('')}</div>`;
}

function songBlock(row: PairRow): string {
  const s = row.song;
  const href = h(hrefFor(s.path));
  const from = row.match.clipStart > 0 ? `from ${formatDuration(row.match.clipStart)}` : '';
  const byline = [s.artist, formatDuration(s.duration), from].filter(Boolean).map((x) => h(x!)).join(' · ');
  // A media fragment starts the page's own player at the clip, as the app does; the link plays the whole file.
  const audioSrc = row.match.clipStart > 0 ? `${href}#t=${row.match.clipStart}` : href;
  return [
    `<div class="song">${s.quadrant ? badge(s.quadrant) : ''}<div>`,
    `<div class="title"><a href="${href}">${h(s.title)}</a></div>`,
    byline ? `<div class="artist">${byline}</div>` : '',
    `</div></div>`,
    `<audio controls preload="none" src="${audioSrc}"${from ? ` data-clip-start="${row.match.clipStart}"` : ''}></audio>`,
    `<p class="reason">${h(row.match.reason)}</p>`,
  ].join('');
}

function card(row: ExportRow, thumb: string | null): string {
  const songQ = row.kind === 'pair' && row.song.quadrant ? ` data-song-quadrant="${row.song.quadrant}"` : '';
  const body = row.kind === 'pair' ? songBlock(row) : `<p class="reason">${h(row.reason)}</p>`;
  return (
    `<article class="card ${row.kind === 'pair' ? 'paired' : 'unmatched'}" data-position="${row.position}" data-status="${row.kind === 'pair' ? 'paired' : 'unmatched'}"${songQ}${row.kind === 'pair' ? ` data-reading="${row.reading.kind}"` : ''}>` +
    frame(row, thumb) +
    `<div class="meta"><h2 class="name" title="${h(row.portrait.name)}">${h(row.portrait.name)}</h2>${body}</div></article>`
  );
}

export interface SheetMeta {
  mode: MatchMode;
  createdAt: string;
  appVersion: string;
}

/** The page up to the first card. */
export function contactSheetHead(rows: readonly ExportRow[], meta: SheetMeta): string {
  const pairs = rows.filter((r) => r.kind === 'pair').length;
  const legend = QUADRANTS.map((q) => `<span style="${quadrantVars(q)}"><i></i>${h(`${q} ${QUADRANT_INFO[q].words}`)}</span>`).join('');
  const created = meta.createdAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(CONTACT_SHEET_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Portrait Songs: ${h(meta.mode)} · ${rows.length} portraits</title>
<style>${CONTACT_SHEET_CSS}</style>
</head>
<body>
<header>
<div><h1>Portrait Songs</h1><p class="sub">${h(`Mode “${meta.mode}”: ${MODE_WORDS[meta.mode]}. Exported ${created}.`)}</p></div>
<div class="stats"><span><b>${pairs}</b>pairs</span><span><b>${rows.length - pairs}</b>without a song</span></div>
</header>
<nav class="legend" aria-label="Quadrants">${legend}</nav>
<main>
`;
}

/** One portrait's card; `thumb` is the data: URI of its thumbnail, or null. */
export function contactSheetCard(row: ExportRow, thumb: string | null): string {
  return card(row, thumb);
}

/** The page after the last card. */
export function contactSheetTail(meta: SheetMeta): string {
  return `
</main>
<footer>Made with Portrait Songs ${h(meta.appVersion)}. Songs play from the paths beside this file; pairs.json and pairs.csv hold the same list.</footer>
</body>
</html>
`;
}

/**
 * The whole page as one string (tests, small exports). `thumbs[i]` is the data: URI of
 * `rows[i]`'s thumbnail, or null. The export streams the same parts instead (write-export.ts).
 */
export function contactSheet(rows: readonly ExportRow[], thumbs: readonly (string | null)[], meta: SheetMeta): string {
  return contactSheetHead(rows, meta) + rows.map((r, i) => card(r, thumbs[i] ?? null)).join('\n') + contactSheetTail(meta);
}

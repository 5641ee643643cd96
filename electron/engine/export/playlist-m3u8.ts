/**
 * playlist.m3u8: extended M3U in UTF-8 (the `8` in the extension is what tells players so), one
 * entry per matched portrait, in playlist order, paths relative to the playlist file.
 */
import type { PairRow } from './export-rows.ts';

/** A line break inside a tag would end the line and turn the rest into a bogus path. */
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ').trim();

export function playlistLine(ref: string): string {
  // A path line that starts with `#` reads as a comment, so such a name gets an explicit `./`.
  if (ref.startsWith('#')) return `./${ref}`;
  // Line breaks cannot appear in an M3U path line; percent-encoding is the form players accept.
  if (/[\r\n]/.test(ref)) return ref.split('/').map((seg) => (seg === '..' ? seg : encodeURIComponent(seg))).join('/');
  return ref;
}

export function playlistM3u8(pairs: readonly PairRow[], title: string): string {
  const lines = ['#EXTM3U', `#PLAYLIST:${oneLine(title)}`];
  for (const p of pairs) {
    const seconds = p.song.duration === null ? -1 : Math.round(p.song.duration);
    const label = p.song.artist ? `${p.song.artist} - ${p.song.title}` : p.song.title;
    lines.push(`#EXTINF:${seconds},${oneLine(label)}`);
    // VLC starts the entry there; players that do not know the option skip it as a comment.
    if (p.match.clipStart > 0) lines.push(`#EXTVLCOPT:start-time=${p.match.clipStart}`);
    lines.push(playlistLine(p.song.path));
  }
  return lines.join('\n') + '\n';
}

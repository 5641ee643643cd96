/** Title, artist, album, duration and cover art from the file's tags (music-metadata). */
import { parseFile } from 'music-metadata';

export interface SongTags {
  title: string | null;
  artist: string | null;
  album: string | null;
  duration: number | null;
  picture: { data: Uint8Array; format: string } | null;
  /** The container's duration as music-metadata gave it, unfiltered: the decoder's window starts from it. */
  containerDuration: number | undefined;
}

const clean = (s: string | undefined): string | null => {
  const t = s?.replace(/\0/g, '').trim();
  return t ? t.slice(0, 500) : null;
};

export async function readTags(file: string): Promise<SongTags> {
  const meta = await parseFile(file, { duration: false, skipCovers: false });
  const pic = meta.common.picture?.[0];
  const duration = meta.format.duration;
  return {
    title: clean(meta.common.title),
    artist: clean(meta.common.artist ?? meta.common.albumartist),
    album: clean(meta.common.album),
    duration: duration && Number.isFinite(duration) ? duration : null,
    picture: pic ? { data: pic.data, format: pic.format } : null,
    containerDuration: duration,
  };
}

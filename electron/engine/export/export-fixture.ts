/**
 * Test helper (no production code imports it): a small, awkward library on disk (spaces,
 * non-ASCII, `#`, markup and formula-like text, two songs with the same file name) and the
 * playlist built from it with the real matcher.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { FaceResult, Portrait, Song } from '../../../shared/api.ts';
import type { FaceQuadrant, MusicQuadrant } from '../../../shared/emotion.ts';
import { buildPlaylist, type MatchMode, type StartAt } from '../../../shared/match.ts';
import { makeThumbnail } from '../decode/image.ts';
import type { ExportRequest } from './types.ts';

export interface Fixture {
  root: string;
  portraitsDir: string;
  musicDir: string;
  thumbsDir: string;
  portraits: Portrait[];
  songs: Song[];
  request(mode?: MatchMode, startAt?: StartAt): ExportRequest;
  cleanup(): void;
}

function face(box: FaceResult['box'], quadrant: FaceQuadrant, valence: number, arousal: number): FaceResult {
  const probs = { Q1: 0.1, Q2: 0.1, Q3: 0.1, N: 0.1, [quadrant]: 0.7 } as Record<FaceQuadrant, number>;
  return { box, score: 0.9, quadrant, probs, expressions: { angry: 0, disgust: 0, fear: 0, happy: 0, sad: 0, surprise: 0, neutral: 1 }, valence, arousal };
}

export async function makeFixture(): Promise<Fixture> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ps-export-'));
  const portraitsDir = path.join(root, 'Portraits ünï');
  const musicDir = path.join(root, 'Music 名前 & co');
  const thumbsDir = path.join(root, 'thumbs');
  for (const d of [portraitsDir, path.join(musicDir, 'disc one'), path.join(musicDir, 'disc two'), thumbsDir]) fs.mkdirSync(d, { recursive: true });

  const portraits: Portrait[] = [];
  const addPortrait = async (name: string, width: number, height: number, faces: FaceResult[], error: string | null = null) => {
    const file = path.join(portraitsDir, name);
    const id = portraits.length + 1;
    let thumb: string | null = null;
    if (error) {
      fs.writeFileSync(file, 'not an image');
    } else {
      const bytes = await sharp({ create: { width, height, channels: 3, background: { r: 40 + id * 40, g: 90, b: 140 } } }).png().toBuffer();
      fs.writeFileSync(file, bytes);
      thumb = `thumb${id}.jpg`;
      fs.writeFileSync(path.join(thumbsDir, thumb), await makeThumbnail(bytes, 360));
    }
    portraits.push({
      id, path: file, name, folder: portraitsDir, status: error ? 'error' : 'done', width: error ? null : width, height: error ? null : height,
      faces, quadrant: faces[0]?.quadrant ?? null, valence: faces[0]?.valence ?? null, arousal: faces[0]?.arousal ?? null, error, thumb,
      // No picture mood here: these tests are about faces (picture-mood-export.test.ts adds one).
      mood: null, readingKind: faces.length ? 'faces' : null,
    });
  };
  await addPortrait('a happy face.png', 400, 500, [face([100, 80, 160, 200], 'Q1', 0.7, 0.5)]);
  await addPortrait('zwei Gesichter – 2.png', 600, 400, [face([40, 60, 80, 100], 'Q3', -0.6, -0.5), face([300, 50, 200, 240], 'Q3', -0.5, -0.4)]);
  await addPortrait('angry one.png', 300, 300, [face([50, 50, 200, 200], 'Q2', -0.6, 0.6)]);
  await addPortrait('landscape, no face.png', 500, 300, []);
  await addPortrait('broken.jpg', 0, 0, [], 'Not an image format Portrait Songs can read');

  const songs: Song[] = [];
  const addSong = (rel: string, tags: Partial<Song>, quadrant: MusicQuadrant, valence: number, arousal: number) => {
    const file = path.join(musicDir, rel);
    fs.writeFileSync(file, `fake audio ${rel}`);
    songs.push({
      id: songs.length + 101, path: file, name: rel, folder: musicDir, status: 'done', title: null, artist: null, album: null, duration: null, cover: null,
      quadrant, probs: { Q1: 0.1, Q2: 0.1, Q3: 0.1, Q4: 0.1, [quadrant]: 0.7 } as Record<MusicQuadrant, number>, valence, arousal, error: null, timeline: null, ...tags,
    });
  };
  // Its stretch at 1:12 reads like the happy face (0.7, 0.5): that portrait's clip starts there.
  const timeline = { patchSeconds: 3, points: [{ start: 0, valence: -0.3, arousal: -0.4 }, { start: 72, valence: 0.7, arousal: 0.5 }, { start: 150, valence: 0.2, arousal: 0.2 }] };
  addSong('disc one/My Song & <Friends>.ogg', { title: 'Sunny <b>"Day"</b> & more', artist: '=HYPERLINK("x")', album: 'Ünïcode, vol. 1', duration: 183.4, timeline }, 'Q1', 0.6, 0.6);
  addSong('disc two/My Song & <Friends>.ogg', { title: 'Rain,\nagain', artist: 'Ana Ñ', duration: 241 }, 'Q3', -0.6, -0.5);
  addSong('#1 "quoted" 名前.ogg', { duration: 59.6 }, 'Q2', -0.5, 0.7);

  const request = (mode: MatchMode = 'match', startAt: StartAt = 'stretch'): ExportRequest => {
    const entries = buildPlaylist(portraits, songs, { mode, order: 'gallery', startAt });
    return {
      mode,
      thumbsDir,
      createdAt: '2025-01-02T03:04:05.000Z',
      items: entries.map((entry) => ({ portrait: portraits.find((p) => p.id === entry.portraitId)!, entry, song: songs.find((s) => s.id === entry.songId) ?? null })),
    };
  };
  return { root, portraitsDir, musicDir, thumbsDir, portraits, songs, request, cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

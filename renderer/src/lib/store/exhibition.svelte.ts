/**
 * Exhibition mode's settings and whether it is showing. The settings outlive the session
 * (localStorage): a wall is set up once and restarted each morning.
 */
import { parseAdvance, type AdvanceSetting } from '../../../../shared/exhibition.ts';

const KEY = 'portrait-songs.exhibition';

function load(): { advance: AdvanceSetting; boxes: boolean } {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as { advance?: unknown; boxes?: unknown };
    return { advance: parseAdvance(saved.advance), boxes: saved.boxes === true };
  } catch {
    return { advance: 'song-end', boxes: false };
  }
}

class ExhibitionSettings {
  open = $state(false);
  advance = $state<AdvanceSetting>('song-end');
  boxes = $state(false);

  constructor() {
    const saved = load();
    this.advance = saved.advance;
    this.boxes = saved.boxes;
  }

  save(): void {
    try {
      localStorage.setItem(KEY, JSON.stringify({ advance: this.advance, boxes: this.boxes }));
    } catch {
      // Storage refused (private window): the setting lasts this session only.
    }
  }
}

export const exhibition = new ExhibitionSettings();

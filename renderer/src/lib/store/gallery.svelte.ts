/** The portraits tab: which portraits show, in what order and size, and which one is open. */
import type { Portrait } from '../../../../shared/api.ts';
import type { Quadrant } from '../../../../shared/emotion.ts';
import { library } from './library.svelte.ts';
import { readings } from './readings.svelte.ts';

export type QuadrantFilter = Quadrant | 'all' | 'none' | 'error';
export type GallerySort = 'name' | 'pleasant' | 'energetic' | 'faces';

class Gallery {
  filter = $state<QuadrantFilter>('all');
  /** Card width in px. */
  cardSize = $state(210);
  sort = $state<GallerySort>('name');
  query = $state('');
  selectedId = $state<number | null>(null);

  visible = $derived.by(() => {
    const f = this.filter;
    let list: Portrait[];
    if (f === 'all') list = library.portraits;
    else if (f === 'none') list = library.portraits.filter((p) => p.status === 'done' && p.faces.length === 0);
    else if (f === 'error') list = library.portraits.filter((p) => p.status === 'error');
    else list = library.portraits.filter((p) => readings.portraits.get(p.id)?.quadrant === f);
    const q = this.query.trim().toLowerCase();
    if (q) list = list.filter((p) => p.name.toLowerCase().includes(q));
    const sort = this.sort;
    if (sort === 'name') return list;
    const key = (p: Portrait): number => {
      const r = readings.portraits.get(p.id);
      if (sort === 'faces') return p.faces.length;
      return r ? (sort === 'pleasant' ? r.valence : r.arousal) : -Infinity;
    };
    return [...list].sort((a, b) => key(b) - key(a) || a.name.localeCompare(b.name));
  });

  selected = $derived(library.portraits.find((p) => p.id === this.selectedId) ?? null);
}

export const gallery = new Gallery();

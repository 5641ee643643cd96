/**
 * The person's face search (shared/api.ts) and the detector preset behind it. The contract names
 * what a person weighs (thorough or quick); which looks a preset takes stays the engine's to retune.
 */
import { FACE_SEARCHES, type FaceSearch } from '../../../shared/api.ts';
import type { SettingsTable } from '../catalog/settings-table.ts';
import type { DetectPreset } from './analyse-portrait.ts';

const PRESET_OF: Record<FaceSearch, DetectPreset> = { thorough: 'art', quick: 'fast' };
const KEY = 'face-search';

export const presetOf = (mode: FaceSearch): DetectPreset => PRESET_OF[mode];

export function faceSearchOf(preset: DetectPreset): FaceSearch {
  // Every preset is one the person can choose today; one only the CLI could pin would read as the default.
  return FACE_SEARCHES.find((m) => PRESET_OF[m] === preset) ?? 'thorough';
}

/** The stored choice; null where none was made, or the value is not one this version knows (a newer app's). */
export function loadFaceSearch(settings: SettingsTable): FaceSearch | null {
  const stored = settings.get(KEY);
  return FACE_SEARCHES.find((m) => m === stored) ?? null;
}

export function saveFaceSearch(settings: SettingsTable, mode: FaceSearch): void {
  settings.set(KEY, mode);
}

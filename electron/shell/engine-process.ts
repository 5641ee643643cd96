/** Spawns the engine as an Electron utility process (its own OS process, no window). */
import { utilityProcess } from 'electron';
import type { SpawnEngine } from '../engine/host/engine-host.ts';

export const spawnUtilityEngine: SpawnEngine = (entry, args) =>
  utilityProcess.fork(entry, args, { serviceName: 'Portrait Songs engine', stdio: 'inherit' });

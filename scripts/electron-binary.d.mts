export type ElectronBinary = { path: string; reason: null } | { path: null; reason: string };
export function findElectronBinary(options?: { download?: boolean; timeoutMs?: number }): ElectronBinary;

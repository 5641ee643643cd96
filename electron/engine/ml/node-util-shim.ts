/**
 * @tensorflow/tfjs-node(-gpu) 4.22 calls `util.isNullOrUndefined` and friends, which Node 23
 * removed (tfjs#8425, fixed upstream but unreleased; tfjs#8609). Electron 45 runs Node 24, so
 * without these the native backend loads, `setBackend` succeeds and every op then throws.
 * Each helper is added only where the running Node lacks it.
 */
type Helpers = Record<string, (value: unknown) => boolean>;

export const REMOVED_UTIL_HELPERS: Helpers = {
  isArray: (v) => Array.isArray(v),
  isBoolean: (v) => typeof v === 'boolean',
  isBuffer: (v) => Buffer.isBuffer(v),
  isDate: (v) => v instanceof Date,
  isError: (v) => v instanceof Error,
  isFunction: (v) => typeof v === 'function',
  isNull: (v) => v === null,
  isNullOrUndefined: (v) => v === null || v === undefined,
  isNumber: (v) => typeof v === 'number',
  isObject: (v) => v !== null && typeof v === 'object',
  isPrimitive: (v) => v === null || (typeof v !== 'object' && typeof v !== 'function'),
  isRegExp: (v) => v instanceof RegExp,
  isString: (v) => typeof v === 'string',
  isSymbol: (v) => typeof v === 'symbol',
  isUndefined: (v) => v === undefined,
};

/** Returns the names it added. */
export function provideRemovedUtilHelpers(util: object): string[] {
  const target = util as Record<string, unknown>;
  const added: string[] = [];
  for (const [name, fn] of Object.entries(REMOVED_UTIL_HELPERS)) {
    if (typeof target[name] === 'function') continue;
    target[name] = fn;
    added.push(name);
  }
  return added;
}

/**
 * Pure checks that run on every request before validation (docs/api.md,
 * "Hostile input"): JSON nesting depth, and text that Postgres or argon2
 * cannot take (NUL, unpaired UTF-16 surrogates).
 */

/** Deepest nesting of arrays and objects a JSON body may have; real bodies use 1 or 2. */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether JSON text nests arrays/objects deeper than `max`, found by one
 * pass over the text (no parse, no recursion): brackets inside strings do
 * not count. Invalid JSON is left to the parser.
 */
export function exceedsJsonDepth(text: string, max: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > max) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Text no field may hold: NUL (Postgres text refuses it) or a lone surrogate (not Unicode; breaks UTF-8 encoding). */
export function isUnsafeText(text: string): boolean {
  return text.includes('\u0000') || !text.isWellFormed();
}

/** Field paths as the validation errors write them: `a.b`, `tags[2]`. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/** A bad name shown without what makes it bad (the raw name would carry the NUL along): each NUL or surrogate becomes U+FFFD. */
function safeName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    out += c === 0 || (c >= 0xd800 && c <= 0xdfff) ? '\ufffd' : name[i];
  }
  return out;
}

/**
 * The path (`email`, `tags[2]`, `a.b`) of the first key or string value in a
 * parsed JSON value that holds unsafe text, or undefined. `(body)` names a
 * top-level string. The value must be depth-checked first: this recurses.
 */
export function findUnsafeText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isUnsafeText(value) ? path || '(body)' : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], childPath(path, i));
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    if (isUnsafeText(key)) return childPath(path, safeName(key));
    const found = findUnsafeText(child, childPath(path, key));
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The name of the first parameter (path or query) whose name or value holds
 * unsafe text; repeated query parameters arrive as arrays.
 */
export function findUnsafeParameter(parameters: unknown): string | undefined {
  if (typeof parameters !== 'object' || parameters === null) return undefined;
  for (const [name, value] of Object.entries(parameters)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (isUnsafeText(name) || values.some((item) => typeof item === 'string' && isUnsafeText(item))) {
      return safeName(name);
    }
  }
  return undefined;
}

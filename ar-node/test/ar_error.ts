// Type-level test of ArError, compiled with `tsc --strict --noEmit` (see
// tsconfig.json), never run: after `isArError(e)` (or `instanceof ArError`)
// an unknown `e` has a typed `code`, and without the guard it has none.
import { ArError, ERROR_CODES, Ledger, isArError } from '../index.js';
import type { ArErrorCode, ArErrorFamily } from '../index.js';

function handle(e: unknown): string {
  // @ts-expect-error: `e` is unknown until guarded.
  void e.code;
  if (isArError(e)) {
    const code: ArErrorCode = e.code;
    const family: ArErrorFamily = e.family;
    const field: string | undefined = e.field;
    const value: string | undefined = e.value;
    // Still an Error.
    const message: string = e.message;
    // @ts-expect-error: `code` is a known code, not any string.
    const wrong: 'no_such_code' = e.code;
    void wrong;
    switch (e.code) {
      case 'not_found':
        return `${family} ${field ?? ''} ${value ?? ''}`;
      // @ts-expect-error: not a code.
      case 'not_a_code':
        return '';
      default:
        return `${code}: ${message}`;
    }
  }
  if (e instanceof ArError) {
    const code: ArErrorCode = e.code;
    return code;
  }
  return 'not ours';
}

try {
  Ledger.fromJson('{');
} catch (e) {
  handle(e);
}

async function rejected(): Promise<ArErrorCode | undefined> {
  try {
    await Ledger.fromJsonAsync('{');
  } catch (e) {
    if (isArError(e)) return e.code;
  }
  return undefined;
}
void rejected;

// ERROR_CODES holds the same strings; the union is what a `code` can be.
const codes: readonly string[] = ERROR_CODES;
void codes;

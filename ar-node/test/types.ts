// Type-level test of the generated index.d.ts: compiled with `tsc --noEmit` in
// strict mode (see tsconfig.json), never run.
import { version } from '../index.js';

const v: string = version();

// @ts-expect-error version() takes no arguments
version(1);

export { v };

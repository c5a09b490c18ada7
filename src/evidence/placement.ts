// Which B-level indicator a path belongs to (contract §3): the deepest component that begins with a
// code and a separator; the longest code wins; names compared after NFC normalisation.
import { beginsWithCode } from './names.js';

export interface Placement {
  aCode: string;
  bCode: string;
  /** path inside the B-level folder (or the file name when the file itself carries the code), NFC */
  inner: string;
}

/** The B-level a path belongs to: the deepest component that begins with a code (longest code wins). */
export function placeFile(relPath: string, codes: ReadonlyMap<string, string>): Placement | undefined {
  const parts = relPath.normalize('NFC').split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    const name = parts[i]!;
    let best: string | undefined;
    for (const code of codes.keys()) {
      if (beginsWithCode(name, code) && (!best || code.length > best.length)) best = code;
    }
    if (best) {
      const inner = i === parts.length - 1 ? name : parts.slice(i + 1).join('/');
      return { aCode: codes.get(best)!, bCode: best, inner };
    }
  }
  return undefined;
}


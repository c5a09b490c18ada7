// Which B-level indicator a path belongs to (contract §3): the deepest component that begins with a
// code and a separator; the longest code wins; names compared after NFC normalisation.
import { beginsWithCode, folderCode } from './names.js';

export interface Placement {
  aCode: string;
  bCode: string;
  /** path inside the B-level folder (or the file name when the file itself carries the code), NFC */
  inner: string;
}

/**
 * The B-level a path belongs to: the deepest component that begins with a code (longest code wins).
 * A code holding characters no folder name can (`A1/1`) also matches as `init` spelled its folder
 * (`A1_1 …`); a code spelled exactly wins a tie.
 */
export function placeFile(relPath: string, codes: ReadonlyMap<string, string>): Placement | undefined {
  const parts = relPath.normalize('NFC').split('/');
  for (let i = parts.length - 1; i >= 0; i--) {
    const name = parts[i]!;
    let best: string | undefined;
    let bestExact = false;
    for (const code of codes.keys()) {
      const exact = beginsWithCode(name, code);
      if (!exact && !(folderCode(code) !== code && beginsWithCode(name, folderCode(code)))) continue;
      if (!best || code.length > best.length || (code.length === best.length && exact && !bestExact)) {
        best = code;
        bestExact = exact;
      }
    }
    if (best) {
      const inner = i === parts.length - 1 ? name : parts.slice(i + 1).join('/');
      return { aCode: codes.get(best)!, bCode: best, inner };
    }
  }
  return undefined;
}

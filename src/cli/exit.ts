/** Exit codes of contract §5, for every command. */
export const EXIT = {
  ok: 0,
  /** the archive has gaps (`check`), or `build --strict` found gaps */
  gaps: 1,
  /** usage error, invalid manual, missing evidence folder, or an output we could not write */
  usage: 2,
} as const;

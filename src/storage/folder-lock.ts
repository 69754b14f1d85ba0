import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface FolderLock {
  release(): void;
}

export class FolderLockedError extends Error {
  override readonly name = 'FolderLockedError';
  readonly code = 'ERR_DATABASE_LOCKED';
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Lock files this process holds: our own pid in a lock file is stale only when we do not hold it. */
const held = new Set<string>();

/**
 * PGlite is one process's database: a second opener of the same folder would corrupt it.
 * A lock file holding the owner's pid turns that into a clear refusal; a stale lock (dead pid) is taken over.
 */
export function acquireFolderLock(file: string): FolderLock {
  const key = path.resolve(file);
  if (held.has(key)) {
    throw new FolderLockedError(
      `The embedded database in ${file.replace(/\/tyndau\.lock$/, '')} is already open in this process (${process.pid}). ` +
        'PGlite allows one opener at a time: close it first, or use DATABASE_URL.',
    );
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(key);
      return {
        release: () => {
          held.delete(key);
          unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isFinite(owner) && owner !== process.pid && isAlive(owner)) {
        throw new FolderLockedError(
          `The embedded database in ${file.replace(/\/tyndau\.lock$/, '')} is open in process ${owner} ` +
            '(a running `tyndau serve`?). PGlite allows one process at a time: stop it first, or use DATABASE_URL.',
        );
      }
      unlinkSync(file);
    }
  }
  throw new FolderLockedError(`Could not take the lock ${file}`);
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/storage/db.ts';
import { acquireFolderLock, FolderLockedError } from '../../src/storage/folder-lock.ts';

/** The embedded database lives in a folder: this file is PGlite-only whatever TEST_DATABASE_URL says. */

const dirs: string[] = [];
const open: Db[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tyndau-lock-'));
  dirs.push(dir);
  return dir;
}

async function openFolder(dataDir: string): Promise<Db> {
  const db = await openDb({ dataDir });
  open.push(db);
  return db;
}

async function close(db: Db): Promise<void> {
  open.splice(open.indexOf(db), 1);
  await db.close();
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid;
}

/** A live process that is not us, killed after the test. */
function livePid(): number {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

const lockFile = (dir: string): string => path.join(dir, 'tyndau.lock');

function refusal(fn: () => unknown): FolderLockedError {
  try {
    fn();
  } catch (err) {
    if (err instanceof FolderLockedError) return err;
    throw err;
  }
  throw new Error('expected a FolderLockedError');
}

afterEach(async () => {
  for (const db of open.splice(0)) await db.close();
  for (const child of children.splice(0)) child.kill();
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('the folder lock', () => {
  it('writes the owner pid and removes the file on release', () => {
    const dir = tempDir();
    const lock = acquireFolderLock(lockFile(dir));
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
    acquireFolderLock(lockFile(dir)).release();
  });

  it('refuses a folder held by another live process, naming the folder and the process', () => {
    const dir = tempDir();
    const pid = livePid();
    writeFileSync(lockFile(dir), String(pid));
    const err = refusal(() => acquireFolderLock(lockFile(dir)));
    expect(err).toBeInstanceOf(FolderLockedError);
    expect(err.code).toBe('ERR_DATABASE_LOCKED');
    expect(err.message).toContain(dir);
    expect(err.message).toContain(String(pid));
    expect(err.message).toMatch(/PGlite/);
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(String(pid));
  });

  it('refuses a second lock of the same folder within this process', () => {
    const dir = tempDir();
    const first = acquireFolderLock(lockFile(dir));
    expect(refusal(() => acquireFolderLock(lockFile(dir))).message).toContain(dir);
    first.release();
    acquireFolderLock(lockFile(dir)).release();
  });

  it('takes over a stale lock: a dead pid, or a file that holds no pid', () => {
    const dir = tempDir();
    writeFileSync(lockFile(dir), String(deadPid()));
    const lock = acquireFolderLock(lockFile(dir));
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(String(process.pid));
    lock.release();
    writeFileSync(lockFile(dir), 'garbage');
    acquireFolderLock(lockFile(dir)).release();
  });

  it('takes over a lock that carries our own pid but is not held (a restart that reused the pid, as in a container)', () => {
    const dir = tempDir();
    writeFileSync(lockFile(dir), String(process.pid));
    const lock = acquireFolderLock(lockFile(dir));
    expect(readFileSync(lockFile(dir), 'utf8')).toBe(String(process.pid));
    lock.release();
  });
});

describe('an embedded database folder', () => {
  it('refuses a second PGlite opener of the same folder with FolderLockedError naming the folder', async () => {
    const dataDir = tempDir();
    const first = await openFolder(dataDir);
    await first.exec('CREATE TABLE kept (n integer); INSERT INTO kept VALUES (42);');
    const second = openDb({ dataDir });
    await expect(second).rejects.toBeInstanceOf(FolderLockedError);
    await expect(second).rejects.toThrow(dataDir);
    // The first opener is untouched, and still owns the lock.
    expect((await first.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
    expect(readFileSync(lockFile(dataDir), 'utf8')).toBe(String(process.pid));
    await close(first);
    expect(existsSync(lockFile(dataDir))).toBe(false);
    // Once closed, the folder opens again, data intact.
    const again = await openFolder(dataDir);
    expect((await again.query<{ n: number }>('SELECT n FROM kept')).rows).toEqual([{ n: 42 }]);
  });

  it('refuses a folder another live process holds', async () => {
    const dataDir = tempDir();
    const pid = livePid();
    writeFileSync(lockFile(dataDir), String(pid));
    await expect(openDb({ dataDir })).rejects.toThrow(new RegExp(`${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*process ${pid}`));
  });

  it('takes over a stale lock left by a dead process', async () => {
    const dataDir = tempDir();
    writeFileSync(lockFile(dataDir), String(deadPid()));
    const db = await openFolder(dataDir);
    expect(readFileSync(lockFile(dataDir), 'utf8')).toBe(String(process.pid));
    expect((await db.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await close(db);
    expect(existsSync(lockFile(dataDir))).toBe(false);
  });
});

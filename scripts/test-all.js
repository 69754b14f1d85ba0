#!/usr/bin/env node
// The README's test command: the whole suite on the embedded PGlite, then again on the PostgreSQL server.
// In CI (CI=true) the PostgreSQL run is required; on a laptop without a server it is skipped with a warning.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';

const pgUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const extra = process.argv.slice(2);

function reachable(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432) });
    socket.setTimeout(2000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

function run(label, env) {
  mkdirSync('var', { recursive: true });
  const report = `var/test-report-${label}.json`;
  process.stdout.write(`\n=== ${label}: ${env.TEST_DATABASE_URL ? env.TEST_DATABASE_URL : 'PGlite (in memory)'} ===\n`);
  const result = spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  let passed = 0;
  let failed = 0;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    passed = json.numPassedTests;
    failed = json.numFailedTests + (json.numFailedTestSuites ?? 0);
  } catch {
    failed += 1;
  }
  return { passed, failed: result.status === 0 ? failed : Math.max(failed, 1) };
}

const runs = [run('pglite', { TEST_DATABASE_URL: '' })];
if (await reachable(pgUrl)) runs.push(run('postgres', { TEST_DATABASE_URL: pgUrl }));
else if (process.env.CI) runs.push((process.stdout.write(`PostgreSQL at ${pgUrl} is not reachable\n`), { passed: 0, failed: 1 }));
else process.stdout.write(`\nSkipped the PostgreSQL run: nothing answers at ${pgUrl} (set TEST_DATABASE_URL).\n`);

const passed = runs.reduce((s, r) => s + r.passed, 0);
const failed = runs.reduce((s, r) => s + r.failed, 0);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

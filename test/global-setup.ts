import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { wrapPglite } from '../src/db/adapters/pglite.js';
import { migrate } from '../src/db/index.js';
import { PGlite } from '@electric-sql/pglite';
import { ensureWebBuild } from './helpers/build-web.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/** One migrated PGlite, dumped once; every test file starts from a copy instead of running initdb. */
export async function setup(project: TestProject) {
  await ensureWebBuild();
  const dir = mkdtempSync(join(tmpdir(), 'enroll-template-'));
  const db = wrapPglite(await PGlite.create());
  await migrate(db);
  const dump = await db.dump();
  await db.close();
  const file = join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}

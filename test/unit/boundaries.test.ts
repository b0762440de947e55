import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { cycles, importGraph } from '../../scripts/import-cycles.js';

const eslint = new ESLint();
/** The no-restricted-imports messages the repository's lint gives this code at this path. */
async function refusals(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the lint keeps the boundaries', () => {
  it.each([
    ['src/server/modules/queue/queue-service.ts', "import { Redis } from 'ioredis';"],
    ['src/server/platform/database.ts', "import pg from 'pg';"],
    ['src/server/main.ts', "import { Redis } from 'ioredis';"],
    ['src/server/main.ts', "import { PGlite } from '@electric-sql/pglite';"],
    ['src/server/app.ts', "import { vector } from '@electric-sql/pglite/vector';"],
    ['src/server/app.ts', "import { createAdapter } from '@socket.io/redis-adapter';"],
    ['src/web/lib/api.ts', "import pg from 'pg';"],
  ])('when %s imports a driver (%s), then it is refused', async (file, code) => {
    expect(await refusals(file, code)).toHaveLength(1);
  });

  it.each([
    ['src/server/adapters/redis/redis-queue-store.ts', "import { Redis } from 'ioredis';"],
    ['src/server/adapters/postgres/postgres-database.ts', "import pg from 'pg';"],
    ['src/server/adapters/pglite/pglite-database.ts', "import { PGlite } from '@electric-sql/pglite';"],
  ])('when the adapter %s imports its driver, then it is allowed', async (file, code) => {
    expect(await refusals(file, code)).toEqual([]);
  });

  it.each([
    ['src/web/features/admin/ShowDashboard.tsx', "import { LiveIndicator } from '../waiting-room/WaitingRoom.js';"],
    ['src/web/features/checkout/CheckoutView.tsx', "import { OrderItems } from '../../features/orders/OrderPage.js';"],
    ['src/web/features/waiting-room/use-queue.ts', "import { x } from '../../pages/buying/BuyPage.js';"],
    ['src/web/components/Badge.tsx', "import { useQueue } from '../features/waiting-room/use-queue.js';"],
    ['src/web/lib/api.ts', "import { useAuth } from '../app/auth.js';"],
    ['src/shared/api.ts', "import { x } from '../server/app.js';"],
    ['src/shared/api.ts', "import { x } from '../web/lib/api.js';"],
    ['src/server/platform/ops/index.ts', "import type { AuthGuards } from '../../modules/auth/auth-context.js';"],
    ['src/server/platform/realtime.ts', "import { QueueService } from '../modules/queue/queue-service.js';"],
  ])('when %s reaches into another feature or layer (%s), then it is refused', async (file, code) => {
    expect(await refusals(file, code)).not.toEqual([]);
  });

  it.each([
    ['src/web/features/admin/ShowDashboard.tsx', "import { LiveIndicator } from '../../components/LiveIndicator.js';"],
    ['src/web/features/waiting-room/use-queue.ts', "import { endedMemory } from '../../lib/journey-memory.js';"],
    ['src/web/features/orders/OrderPage.tsx', "import { x } from './helpers.js';"],
    ['src/web/pages/buying/BuyPage.tsx', "import { useQueue } from '../../features/waiting-room/use-queue.js';"],
    ['src/web/app/App.tsx', "import { HomePage } from '../features/catalogue/HomePage.js';"],
    ['src/server/modules/queue/index.ts', "import { Jobs } from '../../platform/jobs.js';"],
  ])('when %s imports through a shared place (%s), then it is allowed', async (file, code) => {
    expect(await refusals(file, code)).toEqual([]);
  });
});

describe('import cycles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tc-cycles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  };

  it('when two files import each other (one of them only a type), then that circle is reported', () => {
    write('a/use-queue.ts', "import { memory } from '../b/journey-memory.js';\nexport const q = memory;\n");
    write('b/journey-memory.ts', "import type { Reason } from '../a/use-queue.js';\nexport const memory = 1 as unknown as Reason;\n");
    write('c/free.ts', "import { q } from '../a/use-queue.js';\nexport const f = q;\n");
    const found = cycles(importGraph([dir]));
    expect(found).toHaveLength(1);
    expect(found[0]!.map((f) => f.slice(dir.length + 1)).sort()).toEqual(['a/use-queue.ts', 'b/journey-memory.ts']);
  });

  it('when a chain is long, then the whole circle is one finding', () => {
    const deep = mkdtempSync(join(dir, 'deep-'));
    writeFileSync(join(deep, 'x.ts'), "import './y.js';\n");
    writeFileSync(join(deep, 'y.tsx'), "export { z } from './z.js';\n");
    writeFileSync(join(deep, 'z.ts'), "export const z = () => import('./x.js');\n");
    expect(cycles(importGraph([deep])).map((g) => g.length)).toEqual([3]);
  });

  it('src has none', () => {
    expect(cycles(importGraph(['src']))).toEqual([]);
  });
});

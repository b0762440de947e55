/**
 * docs/api.md is this repository's API reference: it must name exactly the operations the server
 * serves, the error codes it answers with and the socket events it speaks, and nothing in the
 * repository may send a reader to a reference outside it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/shared/errors.js';
import { startHarness, type Harness } from '../support/harness.js';

const REFERENCE = readFileSync('docs/api.md', 'utf8');
const toOpenApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

/** The operations the page documents: each bullet that starts with `METHOD /api/...`. */
function documentedOperations(markdown: string): string[] {
  return [...markdown.matchAll(/^- `(GET|POST|PUT|PATCH|DELETE) (\/api\/[^\s`?]+)/gm)].map((m) => `${m[1]} ${toOpenApiPath(m[2]!)}`);
}

/** The event names declared in one of the typed event maps of src/shared/realtime.ts. */
function eventsOf(map: 'ClientToServerEvents' | 'ServerToClientEvents'): string[] {
  const source = readFileSync('src/shared/realtime.ts', 'utf8');
  const body = new RegExp(`interface ${map} \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? '';
  return [...body.matchAll(/^\s+'([a-z]+:[a-z]+)':/gm)].map((m) => m[1]!);
}

describe('the API reference (docs/api.md)', () => {
  let h: Harness;
  let openapi: { info: { description: string }; paths: Record<string, Record<string, { tags?: string[] }>> };
  beforeAll(async () => {
    h = await startHarness({ db: 'pglite' });
    openapi = JSON.parse((await h.ticketClub.app.inject({ method: 'GET', url: '/docs/json' })).body);
  });
  afterAll(() => h?.close());

  it('documents every operation the server serves, and no other (add a new route to docs/api.md)', () => {
    const served = Object.entries(openapi.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    expect(served.length).toBeGreaterThan(20);
    expect([...new Set(documentedOperations(REFERENCE))].sort()).toEqual(served.sort());
  });

  it('lists every error code with its status, and no other', () => {
    const rows = [...REFERENCE.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(ERROR_STATUS);
    expect(rows).toHaveLength(Object.keys(ERROR_STATUS).length);
  });

  it('names every socket event in its direction', () => {
    const bullets = REFERENCE.split(/\n(?=- )/);
    const clientLines = bullets.filter((b) => b.startsWith('- client -> server')).join('\n');
    const serverLines = bullets.filter((b) => b.startsWith('- server -> client')).join('\n');
    const clientEvents = eventsOf('ClientToServerEvents');
    const serverEvents = eventsOf('ServerToClientEvents');
    expect(clientEvents.length).toBeGreaterThan(3);
    expect(serverEvents.length).toBeGreaterThan(3);
    // `name` or `name {payload}`
    const named = (e: string) => new RegExp(`\`${e}[\` ]`);
    for (const e of clientEvents) expect(clientLines, e).toMatch(named(e));
    for (const e of serverEvents) expect(serverLines, e).toMatch(named(e));
  });

  it('the served /docs describes the realtime events itself and points only inside the repository', () => {
    const { description } = openapi.info;
    for (const e of ['queue:watch', 'show:watch', 'queue:status', 'queue:ended', 'seat:update']) expect(description).toContain(e);
    expect(description).toContain('docs/api.md');
    expect(description).not.toMatch(/\bAPI\.md\b/);
  });
});

describe('references', () => {
  const SKIP = new Set(['node_modules', 'dist', '.git', 'data', 'test-artifacts', 'bench-results', 'scratch']);
  // Spelled in two parts so this file does not cite it either.
  const outside = 'API' + '.md';
  function* files(dir: string): Generator<string> {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name)) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) yield* files(path);
      else if (/\.(ts|tsx|js|md|json|yaml|yml|html|css)$|^run$|^Dockerfile$/.test(name)) yield path;
    }
  }

  it('nothing in the repository cites a reference outside it', () => {
    const citing = [...files('.')].filter((f) => readFileSync(f, 'utf8').includes(outside));
    expect(citing).toEqual([]);
  });
});

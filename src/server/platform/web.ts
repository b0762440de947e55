import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { PublicConfig } from '../../shared/api.js';
import { isWebRoute } from '../../shared/web-routes.js';
import { AppError } from './errors.js';
import type { ZodTypeProvider } from './validation.js';

/** What the web app needs to know about this deployment (GET /api/config). */
export type WebSettings = PublicConfig;

/**
 * Serves the built web app and its settings: the app's own addresses (shared/web-routes.ts) get its index.html; any
 * other page address gets the same HTML with status 404, and the app shows its "Page not found".
 * Returns false when the app has not been built.
 */
export async function serveWeb(app: FastifyInstance, dist: string, settings: WebSettings): Promise<boolean> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/config',
    {
      schema: { tags: ['Health'], summary: 'What the web app needs to know about this deployment', response: { 200: PublicConfig.describe('Deployment settings') } },
      config: { access: 'public' },
    },
    async () => settings,
  );
  const root = path.resolve(dist);
  if (!existsSync(path.join(root, 'index.html'))) {
    app.setNotFoundHandler((req, reply) => notFound(req.method, req.url, reply));
    return false;
  }
  await app.register(fastifyStatic, { root, wildcard: false, index: false, maxAge: '1h', immutable: false });
  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', root, { maxAge: 0 });
  app.get('/', (_req, reply) => sendIndex(reply));
  app.setNotFoundHandler(async (req, reply) => {
    const url = req.url.split('?')[0]!;
    if (req.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/socket.io') && !path.extname(url)) {
      if (isWebRoute(url)) return sendIndex(reply);
      // Read each time, like sendFile: a rebuilt app is served without a restart.
      const html = await readFile(path.join(root, 'index.html'));
      return reply.status(404).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
    }
    return notFound(req.method, url, reply);
  });
  return true;
}

function notFound(method: string, url: string, reply: FastifyReply) {
  return reply.status(404).send(new AppError('NOT_FOUND', `No route for ${method} ${url.split('?')[0]}`).toBody());
}

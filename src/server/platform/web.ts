import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { AppError } from './errors.js';

/**
 * Serves the built web app; any other GET outside /api is the app's index.html (client-side routes).
 * Returns false when the app has not been built.
 */
export async function serveWeb(app: FastifyInstance, dist: string): Promise<boolean> {
  const root = path.resolve(dist);
  if (!existsSync(path.join(root, 'index.html'))) {
    app.setNotFoundHandler((req, reply) => notFound(req.method, req.url, reply));
    return false;
  }
  await app.register(fastifyStatic, { root, wildcard: false, index: false, maxAge: '1h', immutable: false });
  const sendIndex = (reply: FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html', root, { maxAge: 0 });
  app.get('/', (_req, reply) => sendIndex(reply));
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0]!;
    if (req.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/socket.io') && !path.extname(url)) {
      return sendIndex(reply);
    }
    return notFound(req.method, url, reply);
  });
  return true;
}

function notFound(method: string, url: string, reply: FastifyReply) {
  return reply.status(404).send(new AppError('NOT_FOUND', `No route for ${method} ${url.split('?')[0]}`).toBody());
}

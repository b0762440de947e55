/**
 * The yardstick of `npm run bench:http`: a bare Fastify 5 app from the same node_modules with one
 * route returning a user object, about what GET /api/me answers. Whatever the machine does to one
 * process (noise, CPU frequency, other work) it does to this one too, so the product's rate is
 * reported as a ratio to it.
 */
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 0);
const app = Fastify({ logger: false });
const user = { id: '6f1c2d4e-8a9b-4c3d-9e2f-1a2b3c4d5e6f', email: 'fan@example.com', name: 'A Fan', role: 'customer' };
app.get('/api/me', async () => ({ user }));
app.get('/api/health', async () => ({ status: 'ok' }));
await app.listen({ port, host: '127.0.0.1' });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));

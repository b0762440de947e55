import type { FastifyPluginAsync } from 'fastify';
import type { IoServer } from '../../platform/realtime.js';
import { socketErrorLog } from '../../platform/socket-events.js';
import type { AuthGuards } from '../auth/auth-context.js';
import { SeatsGateway } from './seats-gateway.js';
import { seatsRoutes } from './seats-routes.js';
import type { SeatsService } from './seats-service.js';

export interface SeatsModuleOptions {
  seats: SeatsService;
  guards: AuthGuards;
  io: IoServer;
  /** Throws 404 NOT_FOUND for an unknown show. */
  showExists(showId: string): Promise<unknown>;
}

/** The live seat map: holding and releasing seats, and every change told to those watching. */
export const seatsModule: FastifyPluginAsync<SeatsModuleOptions> = async (app, o) => {
  seatsRoutes(app, o.seats, o.guards);
  const gateway = new SeatsGateway({ showExists: o.showExists, logEventError: socketErrorLog(app.log) });
  o.io.on('connection', (socket) => gateway.attach(socket));
};

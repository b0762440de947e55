import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Ack, ClientToServerEvents } from '../../shared/realtime.js';
import { AppError, isAppError } from './errors.js';
import type { IoSocket } from './realtime.js';
import { parse } from './validation.js';

/** What identifies a failed socket event in the log; the client heard only INTERNAL. */
export interface SocketEventContext {
  requestId: string;
  event: string;
  socketId: string;
  userId?: string;
}

/** Logs a socket event's error that no catalogue code covers (a bug, a database down). */
export type SocketErrorLog = (err: unknown, context: SocketEventContext) => void;

/** What to do right after the `{ok:true}` ack went out (an event the client expects to follow it). */
export type AfterAck = () => void;

export interface SocketEventHandler<S extends z.ZodType> {
  /** The payload's contract: a mismatch is acked VALIDATION_FAILED and the handler does not run. */
  schema: S;
  /** Checked before the payload is even parsed (an admin-only event tells a customer FORBIDDEN, nothing more). */
  allow?: () => void;
  handle(payload: z.output<S>): Promise<AfterAck | void> | AfterAck | void;
}

/**
 * Wires one client event of a socket, the way every gateway answers: the payload parsed with its
 * schema, then `{ok:true}` when the handler returns, or `{error:{code,message}}` from the error
 * catalogue when it throws. An error outside the catalogue is acked as INTERNAL, revealing nothing,
 * and logged with a request id of its own. A client that sent no ack function gets nothing.
 */
export function onSocketEvent<S extends z.ZodType>(
  socket: IoSocket,
  event: keyof ClientToServerEvents,
  handler: SocketEventHandler<S>,
  log: SocketErrorLog,
): void {
  const listener = async (msg: unknown, ack: unknown) => {
    const reply = typeof ack === 'function' ? (ack as (r: Ack) => void) : () => undefined;
    let after: AfterAck | void;
    try {
      handler.allow?.();
      after = await handler.handle(parse(handler.schema, msg));
    } catch (e) {
      if (!isAppError(e)) log(e, { requestId: randomUUID(), event, socketId: socket.id, userId: socket.data.user?.id });
      const err = isAppError(e) ? e : new AppError('INTERNAL');
      return reply({ error: { code: err.code, message: err.message } });
    }
    reply({ ok: true });
    after?.();
  };
  socket.on(event, listener as never);
}

/** The log line of a socket event's unknown error, with its request id (as `reqId`, like a request's lines). */
export function socketErrorLog(log: { error(obj: object, msg: string): void }): SocketErrorLog {
  return (err, { requestId, ...context }) => log.error({ err, reqId: requestId, ...context }, 'socket event failed');
}

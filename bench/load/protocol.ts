/** Messages between the load tool's main process and its client workers (child_process IPC). */
import type { HistogramData } from './util.js';

export interface WorkerAccount {
  /** Global index: the order in which accounts connect (connections) or join (sale). */
  g: number;
  id: string;
  token: string;
}

/** What every client worker gets, whatever the scenario. */
export interface CommonInit {
  workerIndex: number;
  urls: string[];
  showId: string;
  accounts: WorkerAccount[];
  /** Loopback source addresses this worker binds its sockets to. */
  srcAddrs: string[];
  /** The worker exits by itself after this time (epoch ms), whatever happens. */
  deadlineAt: number;
  seed: number;
  /** HTTP keep-alive sockets per instance. */
  httpSockets: number;
}

export interface ConnectionsInit extends CommonInit {
  role: 'connections';
  /** Connections per second for this worker. */
  rate: number;
  inFlight: number;
  /** The share of connections that watch without joining (spread evenly over the accounts). */
  watchOnly: number;
  pageCapacity: number;
}

export interface SaleInit extends CommonInit {
  role: 'sale';
  connectRate: number;
  /** Joins per second over all workers (buyer g joins at t0 + g / burst). */
  burst: number;
  areaIds: string[];
  pageCapacity: number;
  windowSeconds: number;
  tickets: number;
  abandon: number;
  quit: number;
  thinkMs: number;
}

export type WorkerInit = ConnectionsInit | SaleInit;

export type ToWorker =
  | { type: 'init'; init: WorkerInit }
  | { type: 'measure' }
  /** The line stopped moving: places no longer change, so their age is no longer sampled. */
  | { type: 'lineStopped' }
  | { type: 'go'; t0: number }
  | { type: 'soldOut' }
  | { type: 'killed'; instance: number }
  | { type: 'finish' };

export interface ConnectionsProgress {
  attempted: number;
  connected: number;
  open: number;
  failed: number;
  joined: number;
  statuses: number;
}

export interface SaleProgress {
  online: number;
  joined: number;
  admitted: number;
  paid: number;
  tickets: number;
  done: number;
  reconnects: number;
  errors: number;
}

export interface ConnectionsResult {
  attempted: number;
  connected: number;
  failed: number;
  openAtEnd: number;
  disconnectsDuringHold: number;
  firstConnectAt: number;
  lastConnectAt: number;
  connectMs: HistogramData;
  joinMs: HistogramData;
  watchMs: HistogramData;
  ageFront: HistogramData;
  ageBack: HistogramData;
  gapFront: HistogramData;
  gapBack: HistogramData;
  statusesMeasured: number;
  /** Age of each waiting connection's last status, sampled once a second while the line moves. */
  placeAge: HistogramData;
  /** [account g, position of its last status (0: not waiting)] when the run finished. */
  lastPlaces: [number, number][];
  /** CPU time (user + system) of this client process while measuring. */
  cpuMsMeasuring: number;
  /** Statuses received while measuring, whatever their state. */
  statusesWhileMeasuring: number;
  /** Connections completed per epoch second. */
  connectsBySecond: [number, number][];
  /** Sum and count of status ages per epoch second while measuring. */
  ageBySecond: [number, number, number][];
  errors: Record<string, number>;
  /** Resident memory of the client process before and at the end of the ramp. */
  clientRssBeforeKb: number;
  clientRssKb: number;
}

export type Fate = 'buy' | 'leave' | 'expire' | 'quit';

export interface BuyerRecord {
  g: number;
  id: string;
  fate: Fate;
  outcome: string;
  joinSentAt?: number;
  joinRespAt?: number;
  joinPosition?: number;
  eta?: number;
  etaLikely?: number;
  /** Server admission time (epoch ms), the first seen. */
  admittedAt?: number;
  /** When this client learned of it, and how. */
  admittedSeenAt?: number;
  admittedVia?: string;
  /** Distinct admission times seen: more than one means admitted twice. */
  admissions: number;
  leftWaitingAt?: number;
  removedAt?: number;
  placeLost?: boolean;
  paidAt?: number;
  orderId?: string;
  ticketIds?: string[];
  seatIds?: string[];
  holdConflicts: number;
  reconnects: number;
  reconnectMs: number[];
  ended: string[];
}

export interface SaleResult {
  buyers: BuyerRecord[];
  latency: Record<string, HistogramData>;
  statuses: Record<string, number>;
  statusAge: HistogramData;
  errors: Record<string, number>;
  /** Resident memory of the client process once all its buyers were online. */
  clientRssKb: number;
}

export type FromWorker =
  | { type: 'progress'; worker: number; p: ConnectionsProgress | SaleProgress }
  | { type: 'rampDone'; worker: number }
  | { type: 'online'; worker: number }
  | { type: 'admitted'; worker: number; gs: number[] }
  | { type: 'done'; worker: number }
  | { type: 'result'; worker: number; result: ConnectionsResult | SaleResult }
  | { type: 'fatal'; worker: number; message: string };

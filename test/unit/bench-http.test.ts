import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { processCpuMs, treeCpuMs } from '../../bench/http/proc-cpu.js';
import { parseWrk } from '../../bench/http/wrk.js';

const WRK_OUT = `Running 5s test @ http://127.0.0.1:40417/api/me
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    11.92ms   33.87ms    1.24s    93.21%
    Req/Sec     8.96k     4.76k   17.08k    58.97%
  Latency Distribution
     50%  881.00us
     75%    5.20ms
     90%   21.13ms
     99%    1.10s
  34888 requests in 2.03s, 9.48MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 7
Requests/sec:  17206.99
Transfer/sec:      4.68MB
`;

describe('bench:http readings', () => {
  it('when wrk reports, then rate, percentiles in any unit and every kind of error are read', () => {
    const r = parseWrk(WRK_OUT);
    expect(r.requests).toBe(34888);
    expect(r.seconds).toBeCloseTo(2.03);
    expect(r.reqPerSec).toBeCloseTo(34888 / 2.03);
    expect(r.p50Ms).toBeCloseTo(0.881);
    expect(r.p99Ms).toBeCloseTo(1100);
    expect(r.errors).toBe(12);
  });

  it('when wrk prints something else, then it says so instead of reporting zeros', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/unexpected wrk output/);
  });

  it('when a child process burns CPU, then the tree counts it and the parent alone does not', async () => {
    // Burns 400 ms of its own CPU time (however long that takes on a busy box), then idles.
    const burn = 'while (process.cpuUsage().user < 400000); console.log("done"); setTimeout(() => {}, 10000)';
    const child = spawn(process.execPath, ['-e', burn], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((r) => child.stdout.once('data', r));
      const tree = treeCpuMs(process.pid);
      const self = processCpuMs(process.pid);
      expect(processCpuMs(child.pid!)).toBeGreaterThanOrEqual(300);
      expect(tree - self).toBeGreaterThanOrEqual(300);
    } finally {
      child.kill();
    }
  });
});

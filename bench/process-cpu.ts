// CPU seconds per process during a benchmark: the daemon (this process, every thread), the
// simulator, MariaDB and Redis. On 2 shared cores the sum is what bounds throughput, and each
// share tells which process is the bottleneck.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function cpuSecondsOf(pid: number, ofProcess?: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
    const stat = readFileSync(ofProcess === undefined ? `/proc/${pid}/stat` : `/proc/${ofProcess}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function pidOf(name: string): number | null {
  try {
    const out = execFileSync('pidof', [name], { encoding: 'utf8' }).trim().split(/\s+/)[0];
    return out ? Number(out) : null;
  } catch {
    return null;
  }
}

/**
 * CPU of the MariaDB threads serving the given databases' connections (one thread per
 * connection), so a shared server's other clients do not count. Sampled: a connection that
 * comes and goes between two samples is missed, which the pools here do not do.
 */
export function watchServerThreads(db: { raw(sql: string, bindings: unknown[]): Promise<unknown> }, databases: string[]) {
  const pid = pidOf('mariadbd') ?? pidOf('mysqld');
  const threads = new Map<number, { first: number; last: number }>();
  const sample = async () => {
    if (pid === null) return;
    const [rows] = (await db.raw(`SELECT TID AS tid FROM information_schema.PROCESSLIST WHERE DB IN (${databases.map(() => '?').join(', ')})`, databases)) as [Array<{ tid: number }>];
    for (const { tid } of rows) {
      const cpu = cpuSecondsOf(Number(tid), pid);
      if (cpu === null) continue;
      const t = threads.get(tid);
      if (t) t.last = cpu;
      else threads.set(tid, { first: cpu, last: cpu });
    }
  };
  let chain = sample();
  const timer = setInterval(() => (chain = chain.then(sample).catch(() => undefined)), 250);
  return {
    async stop(): Promise<number | null> {
      clearInterval(timer);
      await chain.then(sample).catch(() => undefined);
      return pid === null ? null : [...threads.values()].reduce((n, t) => n + t.last - t.first, 0);
    },
  };
}

export interface CpuWatch {
  /** CPU seconds used by each process since the watch started. */
  read(): Record<string, number | null>;
}

export function watchCpu(simulatorPid: number | undefined): CpuWatch {
  const others: Record<string, number | null> = { simulator: simulatorPid ?? null, mariadb: pidOf('mariadbd') ?? pidOf('mysqld'), redis: pidOf('redis-server') };
  const self = process.cpuUsage();
  const start = Object.fromEntries(Object.entries(others).map(([k, pid]) => [k, pid === null ? null : cpuSecondsOf(pid)]));
  return {
    read() {
      const used = process.cpuUsage(self);
      const out: Record<string, number | null> = { daemon: (used.user + used.system) / 1e6 };
      for (const [k, pid] of Object.entries(others)) {
        const now = pid === null ? null : cpuSecondsOf(pid);
        out[k] = now === null || start[k] === null ? null : now - start[k]!;
      }
      return out;
    },
  };
}

/** "daemon 0.52, simulator 0.11, mariadb 0.40, redis 0.03 = 1.06 ms CPU per resource" */
export function cpuPerUnit(cpu: Record<string, number | null>, units: number, unitName: string): string {
  const parts = Object.entries(cpu).filter(([, s]) => s !== null).map(([k, s]) => `${k} ${((s! * 1000) / units).toFixed(2)}`);
  // With the server's per-connection figure known, the whole server (other clients too) is shown but not added.
  const counted = Object.entries(cpu).filter(([k]) => !(k === 'mariadb' && cpu['mariadb (this run)'] != null));
  const total = counted.reduce<number>((n, [, s]) => n + (s ?? 0), 0);
  return `${parts.join(', ')} = ${((total * 1000) / units).toFixed(2)} ms CPU per ${unitName}`;
}

/** "daemon 0.66, simulator 0.15, mariadb 0.84, redis 0.06 = 1.71 of 2 cores" */
export function coresBusy(cpu: Record<string, number | null>, seconds: number): string {
  const counted = Object.entries(cpu).filter(([k, s]) => s !== null && !(k === 'mariadb' && cpu['mariadb (this run)'] != null));
  const total = counted.reduce<number>((n, [, s]) => n + s!, 0);
  return `${counted.map(([k, s]) => `${k} ${(s! / seconds).toFixed(2)}`).join(', ')} = ${(total / seconds).toFixed(2)} of ${availableParallelism()} cores`;
}

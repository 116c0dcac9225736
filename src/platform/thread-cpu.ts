// CPU time each thread of this process has used, from /proc (Linux only): how tests and benchmarks
// see which threads did the work, and at which priority.
import { readdirSync, readFileSync } from 'node:fs';

export interface ThreadCpu {
  /** The kernel's thread name (`MainThread`, `WorkerThread`, `libuv-worker`, `V8Worker`, …). */
  name: string;
  nice: number;
  /** User plus system time, in clock ticks. */
  ticks: number;
}

/** Every live thread of this process by kernel id; empty off Linux. */
export function threadCpu(): Map<number, ThreadCpu> {
  const threads = new Map<number, ThreadCpu>();
  if (process.platform !== 'linux') return threads;
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // ended between the listing and the read
    }
    // The name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // proc(5): utime, stime and nice are fields 14, 15 and 19; `fields` starts at field 3.
    threads.set(Number(tid), {
      name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
      nice: Number(fields[16]),
      ticks: Number(fields[11]) + Number(fields[12]),
    });
  }
  return threads;
}

/** CPU ticks spent between two snapshots, summed by the nice value of the thread that spent them. */
export function ticksByNice(before: Map<number, ThreadCpu>, after: Map<number, ThreadCpu>): Map<number, number> {
  const sums = new Map<number, number>();
  for (const [tid, thread] of after) {
    const spent = thread.ticks - (before.get(tid)?.ticks ?? 0);
    if (spent > 0) sums.set(thread.nice, (sums.get(thread.nice) ?? 0) + spent);
  }
  return sums;
}

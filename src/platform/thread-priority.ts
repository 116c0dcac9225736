// Scheduling priority of the calling thread. On Linux every thread has its own nice value, and
// threads it starts later (onnxruntime's intra-op pool, for one) inherit it; elsewhere the
// priority belongs to the whole process, so nothing is changed there.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** What an engine pool hands each of its workers (piscina's `workerData`). */
export interface EngineWorkerData {
  /** The nice value the worker thread lowers itself to before it loads a model. */
  nice: number;
}

/** The highest nice value (the lowest priority) Linux knows. */
export const MAX_NICE = 19;

/** The calling thread's kernel id (`/proc/thread-self` links to `PID/task/TID`), undefined off Linux. */
export function currentThreadId(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  return Number(readlinkSync('/proc/thread-self').split('/').pop());
}

/**
 * Lowers the calling thread's priority to `nice` (0 to 19). Never raises it: an unprivileged
 * process may not, and a thread already below (the whole process started with `nice`) stays there.
 * Returns whether the thread now runs at `nice` or lower.
 */
export function lowerThreadPriority(nice: number): boolean {
  const tid = currentThreadId();
  if (tid === undefined || nice <= 0) return false;
  if (getPriority(tid) < nice) setPriority(tid, Math.min(nice, MAX_NICE));
  return true;
}

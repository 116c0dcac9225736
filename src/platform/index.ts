export type { ThreadCpu } from './thread-cpu.ts';
export { threadCpu, ticksByNice } from './thread-cpu.ts';
export type { EngineWorkerData } from './thread-priority.ts';
export { currentThreadId, lowerThreadPriority, MAX_NICE } from './thread-priority.ts';

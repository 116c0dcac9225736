import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExpressionBuilder } from 'kysely';
import type { Database } from './database-schema.ts';

/** The counter as a column of the same statement: `.select(readEpoch)`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any table of the query
export function readEpoch(eb: ExpressionBuilder<Database, any>) {
  return eb.selectFrom('read_epoch').select('value').where('id', '=', 1).as('read_epoch');
}

/**
 * Reads of the OIDC hot path that rarely change — client records, grants, identity claims — kept
 * in memory between requests, and used only when the database says nothing they depend on has
 * changed since they were read.
 *
 * The database keeps one counter, `read_epoch` (migration 0021). Triggers raise it in the same
 * transaction as every UPDATE or DELETE of `oidc_clients`, `identities` and of `Grant` rows of
 * `oidc_payloads`, whoever writes (this process, another instance, the CLI, `verid rekey`, the
 * retention jobs). Every read of a cached kind and every OIDC artefact lookup returns the counter
 * in the same statement. Inside a request, an entry is used only when it was read at the counter
 * value the request's latest statement saw; so a request that started after a revocation, an
 * erasure or a client change committed — on any instance — reads the new counter with its first
 * statement (the access token's lookup, or the client's) and never gets an older entry. That is
 * the same guarantee as reading every row afresh: what a request can still miss is a change
 * committed while it runs, which it could miss without the cache too.
 *
 * Only inside `run()` (the OIDC endpoints: ProviderHost). Outside — API routes, jobs, the CLI —
 * nothing is looked up or kept. Entries are kept as JSON and parsed anew for each caller (a caller
 * may change what it gets; what is cached came from JSON: rows and decrypted payloads),
 * live at most `ttlMs`, and at most `maxEntries` are kept (least recently used out first):
 * decrypted claims stay in memory for at most a minute, not for the process's life (docs/security.md).
 */
export class ReadCache {
  readonly #scope = new AsyncLocalStorage<{ epoch: number | null }>();
  readonly #entries = new Map<string, { json: string; epoch: number; until: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  /** Lookups answered from memory, and lookups inside a request that went to the database. */
  readonly stats = { hits: 0, misses: 0 };

  constructor({ maxEntries = 10_000, ttlMs = 60_000 }: { maxEntries?: number; ttlMs?: number } = {}) {
    this.#maxEntries = maxEntries;
    this.#ttlMs = ttlMs;
  }

  /** Runs `fn` as one request: entries are used and kept only inside. */
  run<T>(fn: () => T): T {
    return this.#scope.run({ epoch: null }, fn);
  }

  /** The counter as a statement of this request just read it. */
  observe(epoch: number | string | null | undefined): void {
    const request = this.#scope.getStore();
    if (request && epoch !== null && epoch !== undefined) request.epoch = Number(epoch);
  }

  /** A copy of the entry, when the request has seen the counter it was read at; else undefined. */
  get<T>(key: string): T | undefined {
    const request = this.#scope.getStore();
    if (!request) return undefined;
    const entry = this.#entries.get(key);
    if (!entry || request.epoch === null || entry.epoch !== request.epoch || entry.until <= Date.now()) {
      // Outdated for good (a request that saw an older counter may still be running: keep newer ones).
      if (entry && ((request.epoch !== null && entry.epoch < request.epoch) || entry.until <= Date.now())) this.#entries.delete(key);
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    // Most recently used last.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return JSON.parse(entry.json) as T;
  }

  /** Keeps what a statement returned together with the counter it read (inside a request only). */
  set(key: string, value: unknown, epoch: number | string | null | undefined): void {
    if (!this.#scope.getStore() || epoch === null || epoch === undefined) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { json: JSON.stringify(value), epoch: Number(epoch), until: Date.now() + this.#ttlMs });
  }

  /**
   * After this process changed what `key` names (the triggers raised the counter): the entry goes,
   * and the running request uses no entry until its next statement has read the new counter — it
   * keeps the counter it saw before its write and must not read its own old entry back.
   */
  changed(key: string): void {
    this.#entries.delete(key);
    const request = this.#scope.getStore();
    if (request) request.epoch = null;
  }

  /** Drops everything (tests; a master-key change). */
  clear(): void {
    this.#entries.clear();
  }
}

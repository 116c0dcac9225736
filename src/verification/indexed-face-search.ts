import type { FaceSearch } from './engine-ports.ts';
import type { IdentityStore } from './ports.ts';
import type { Environment } from './session.ts';

/** The in-memory 1:N index the search runs on (src/biometrics TemplateIndex satisfies it). */
export interface TemplateIndexPort {
  add(id: string, template: number[]): void;
  remove(id: string): boolean;
  search(template: number[], options: { threshold: number; limit: number }): Array<{ id: string; similarity: number }>;
}

/**
 * Duplicate detection over every enrolled face. The index lives in memory and is brought up to
 * date from the identity store before each search (only rows changed since the last sync), so
 * enrolments made by other instances are seen too.
 */
export class IndexedFaceSearch implements FaceSearch {
  readonly #index: TemplateIndexPort;
  readonly #identities: IdentityStore;
  readonly #threshold: () => number;
  readonly #interviews = new Map<string, string | null>();
  readonly #environments = new Map<string, Environment>();
  #syncedUntil = 0;
  #sync: Promise<void> | undefined;

  constructor(index: TemplateIndexPort, identities: IdentityStore, threshold: () => number) {
    this.#index = index;
    this.#identities = identities;
    this.#threshold = threshold;
  }

  async findDuplicate(template: number[], options: { excludeIdentityId?: string | null; environment: Environment }) {
    await this.#catchUp();
    const matches = this.#index.search(template, { threshold: this.#threshold(), limit: 8 });
    const other = matches.find((m) => m.id !== options.excludeIdentityId && (this.#environments.get(m.id) ?? 'production') === options.environment);
    return other ? { identityId: other.id, interviewId: this.#interviews.get(other.id) ?? null } : null;
  }

  enrolled(identityId: string, template: number[], interviewId: string, environment: Environment): void {
    this.#index.add(identityId, template);
    this.#interviews.set(identityId, interviewId);
    this.#environments.set(identityId, environment);
  }

  /** An erased identity: no longer a duplicate of anyone. */
  removed(identityId: string): void {
    this.#index.remove(identityId);
    this.#interviews.delete(identityId);
    this.#environments.delete(identityId);
  }

  #catchUp(): Promise<void> {
    this.#sync ??= (async () => {
      try {
        for (const row of await this.#identities.listTemplates(this.#syncedUntil)) {
          try {
            if (row.template === null) this.removed(row.identityId);
            else this.enrolled(row.identityId, row.template, row.interviewId ?? '', row.environment);
          } catch (error) {
            // A template of an earlier face model (another length) cannot be compared: that
            // identity is left out of the search until it enrols again.
            if (!(error instanceof RangeError)) throw error;
          }
          this.#syncedUntil = Math.max(this.#syncedUntil, row.updatedAt);
        }
      } finally {
        this.#sync = undefined;
      }
    })();
    return this.#sync;
  }
}

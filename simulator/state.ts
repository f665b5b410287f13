// Everything one simulator instance knows: configuration, store, tokens, faults and counters.
import { createRandom, initialFaults, mergeFaults, SlidingWindow } from './faults.js';
import { buildPerson, isKnownPersonId, maskPerson, servedName, type PersonKind } from './people.js';
import { emptyCounters, snapshot, type Counters } from './stats.js';
import { ResourceStore } from './store.js';
import { TokenService } from './tokens.js';
import type { SimulatorFaults, SimulatorStats } from './types.js';
import type { ValidationContext } from './validate.js';

export interface SimConfig {
  orgId: string;
  clientId: string;
  clientSecret: string;
  tokenTtlSeconds: number;
  unknownNikPercent: number;
  /** Reject Patient/Practitioner reference displays that are not the censored MPI/MNI name (10118/10119). */
  enforceDisplayNames: boolean;
  /** 'YYYY-MM-DD': the 10132 date floor. */
  minResourceDate: string;
}

export class SimState {
  readonly store = new ResourceStore();
  readonly window = new SlidingWindow();
  readonly tokens: TokenService;
  readonly random: () => number;
  counters: Counters = emptyCounters();
  faults: SimulatorFaults;
  /** Absolute FHIR base, known once the server listens. */
  fhirUrl = '';

  constructor(
    readonly config: SimConfig,
    faults: Partial<SimulatorFaults> | undefined,
    seed: number,
  ) {
    this.faults = initialFaults(faults);
    this.random = createRandom(seed);
    this.tokens = new TokenService(config, () => this.counters);
  }

  setFaults(patch: unknown): SimulatorFaults {
    this.faults = mergeFaults(this.faults, patch);
    return this.faults;
  }

  isKnownPerson(kind: PersonKind, id: string): boolean {
    return this.store.has(kind, id) || isKnownPersonId(kind, id);
  }

  /** The censored name the MPI/MNI serves for this person, or null when it knows no such id. */
  personName(kind: PersonKind, id: string): string | null {
    const stored = this.store.get(kind, id);
    if (stored) return servedName(maskPerson(stored));
    return isKnownPersonId(kind, id) ? servedName(buildPerson(kind, id)) : null;
  }

  /** `staged` adds resources that exist only inside the transaction being validated. */
  validationContext(staged?: ReadonlySet<string>): ValidationContext {
    return {
      orgId: this.config.orgId,
      now: Date.now(),
      minResourceDate: this.config.minResourceDate,
      hasResource: (type, id) => this.store.has(type, id) || (staged?.has(`${type}/${id}`) ?? false),
      isKnownPerson: (kind, id) => this.isKnownPerson(kind, id) || (staged?.has(`${kind}/${id}`) ?? false),
      personName: this.config.enforceDisplayNames ? (kind, id) => this.personName(kind, id) : null,
    };
  }

  stats(): SimulatorStats {
    return snapshot(this.counters, this.store.counts(), this.store.duplicateIdentifiers);
  }

  reset(): void {
    this.store.clear();
    this.tokens.reset();
    this.window.clear();
    this.counters = emptyCounters();
  }
}

import { Counter, Gauge, type Registry } from '@wallet-guard/observability';
import type { HashingPool } from './passwords/hashing-pool';

export interface AuthMetrics {
  /**
   * Sign-in outcomes as counted: `success`, `second_factor_required` (right password, code
   * asked), `rejected` (unknown email, wrong password, locked or frozen: deliberately one value,
   * see `signIn`) and `rate_limited`. Nothing here is labelled by account, email or account state.
   */
  signIns: Counter<'outcome'>;
  hashingRejected: Counter;
}

/** The auth service's own metrics, on the app's registry (served at /metrics). */
export function createAuthMetrics(registry: Registry, hashing: HashingPool): AuthMetrics {
  new Gauge({
    name: 'auth_hashing_in_use',
    help: 'Password hashes running or waiting for a turn',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'running' }, hashing.running);
      this.set({ state: 'queued' }, hashing.queued);
    },
  });
  return {
    signIns: new Counter({
      name: 'auth_sign_ins_total',
      help: 'Sign-in attempts by outcome: success, second_factor_required, rejected (any 401), rate_limited',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    hashingRejected: new Counter({
      name: 'auth_hashing_rejected_total',
      help: 'Requests answered 503 because the hashing queue was full',
      registers: [registry],
    }),
  };
}

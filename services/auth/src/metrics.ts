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
  /** Risk decisions at verified passwords (`allow`, `step_up`, `deny`); a deny is also a `rejected` sign-in. */
  riskDecisions: Counter<'decision'>;
  /** Risk signals that fired, by signal name; never by account. */
  riskSignals: Counter<'signal'>;
  /** SIGHUP reloads of the risk policy: `reloaded`, `unchanged`, `refused` (the old policy stayed). */
  riskPolicyReloads: Counter<'result'>;
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
    riskDecisions: new Counter({
      name: 'auth_sign_in_risk_decisions_total',
      help: 'Risk decisions at sign-ins with a right password: allow, step_up, deny',
      labelNames: ['decision'],
      registers: [registry],
    }),
    riskSignals: new Counter({
      name: 'auth_sign_in_risk_signals_total',
      help: 'Risk signals that fired at sign-ins with a right password, by signal',
      labelNames: ['signal'],
      registers: [registry],
    }),
    riskPolicyReloads: new Counter({
      name: 'auth_risk_policy_reloads_total',
      help: 'Risk policy reloads (SIGHUP) by result: reloaded, unchanged, refused',
      labelNames: ['result'],
      registers: [registry],
    }),
  };
}

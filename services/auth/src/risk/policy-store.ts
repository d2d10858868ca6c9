import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@wallet-guard/observability';
import { type RiskPolicy, type RiskPolicySnapshot, readRiskPolicyFile } from './policy-file';

/** The policy shipped with the service (used when AUTH_RISK_POLICY_FILE is unset). */
export const DEFAULT_RISK_POLICY_FILE = fileURLToPath(new URL('../../risk-policy.yaml', import.meta.url));

export type PolicyReloadResult =
  | { status: 'reloaded' | 'unchanged'; version: string }
  | { status: 'refused'; error: string };

export interface RiskPolicyStoreOptions {
  path: string;
  logger: Pick<Logger, 'info' | 'error'>;
  onReload?: (result: PolicyReloadResult) => void;
}

/**
 * The risk policy in force, read once at start and swapped whole on SIGHUP: a sign-in being
 * assessed keeps the policy it took, and no request reads the file. A new file that does not
 * validate is refused with a logged reason and the previous policy stays.
 */
export class RiskPolicyStore {
  private snapshot: RiskPolicySnapshot;
  private readonly path: string;
  private readonly onSignal = () => this.reload();

  /** Throws `RiskPolicyFileError` (naming the file and each bad field) when the file is invalid at start. */
  constructor(private readonly options: RiskPolicyStoreOptions) {
    this.path = resolve(options.path);
    this.snapshot = readRiskPolicyFile(this.path);
    process.on('SIGHUP', this.onSignal);
    options.logger.info({ policyVersion: this.snapshot.policy.version, path: this.path }, 'risk policy loaded');
  }

  current(): RiskPolicy {
    return this.snapshot.policy;
  }

  /** Reads the file again (SIGHUP calls this). Never throws: a bad file is refused and logged. */
  reload(): PolicyReloadResult {
    let result: PolicyReloadResult;
    try {
      const next = readRiskPolicyFile(this.path);
      const status = next.digest === this.snapshot.digest ? 'unchanged' : 'reloaded';
      result = { status, version: next.policy.version };
      if (status === 'reloaded') {
        this.options.logger.info(
          { from: this.snapshot.policy.version, to: next.policy.version },
          'risk policy reloaded',
        );
        this.snapshot = next;
      }
    } catch (error) {
      result = { status: 'refused', error: (error as Error).message };
      this.options.logger.error(
        { error: result.error, policyVersion: this.snapshot.policy.version },
        'risk policy file refused; the previous policy stays in force',
      );
    }
    this.options.onReload?.(result);
    return result;
  }

  close(): void {
    process.off('SIGHUP', this.onSignal);
  }
}

import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readPolicyDocument } from '@wallet-guard/config';
import type { Logger } from '@wallet-guard/observability';
import { type Rules, rulesFileSchema } from './rules-file';

/** The rules file shipped with the service (used when MONITOR_RULES_FILE is unset). */
export const DEFAULT_RULES_FILE = fileURLToPath(new URL('../../rules/default-rules.yaml', import.meta.url));

export interface RulesSnapshot {
  version: string;
  rules: Rules;
  /** sha256 of the file's bytes: a save without changes is no reload. */
  digest: string;
}

/** The rules file could not be read or does not validate; `message` names the file and each problem. */
export class RulesFileError extends Error {
  constructor(path: string, problems: string[]) {
    super(`rules file ${path} is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'RulesFileError';
  }
}

/** Reads and validates a rules file (YAML, of which JSON is a subset). Throws `RulesFileError`. */
export function readRulesFile(path: string): RulesSnapshot {
  const { value, digest } = readPolicyDocument(path, rulesFileSchema, (problems) => new RulesFileError(path, problems));
  return { version: value.version, rules: value.rules, digest };
}

export type ReloadResult = { status: 'reloaded' | 'unchanged'; version: string } | { status: 'refused'; error: string };

export interface RulesStoreOptions {
  path: string;
  /** Reload when the file changes; SIGHUP reloads either way. */
  watch: boolean;
  logger: Logger;
  onReload?: (result: ReloadResult) => void;
  /** Quiet time after a change before reading (editors write in several steps). */
  debounceMs?: number;
}

/**
 * The rules in force, swapped whole on reload: a batch being scored keeps the snapshot it took.
 * A file that does not validate is refused with a logged reason and the previous rules stay.
 */
export class RulesStore {
  private snapshot: RulesSnapshot;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly path: string;
  private readonly onSignal = () => this.reload();

  /** Throws `RulesFileError` when the file is invalid at start: better not to start than to score blind. */
  constructor(private readonly options: RulesStoreOptions) {
    this.path = resolve(options.path);
    this.snapshot = readRulesFile(this.path);
    process.on('SIGHUP', this.onSignal);
    if (options.watch) {
      // The folder, not the file: editors and config-map updates replace the file by renaming.
      this.watcher = watch(dirname(this.path), (_event, name) => {
        if (name !== null && name !== basename(this.path) && !name.startsWith('..')) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.reload(), options.debounceMs ?? 100);
      });
      this.watcher.on('error', (error) => options.logger.warn({ err: error }, 'watching the rules file failed'));
    }
    options.logger.info({ rulesVersion: this.snapshot.version, path: this.path }, 'rules loaded');
  }

  current(): RulesSnapshot {
    return this.snapshot;
  }

  reload(): ReloadResult {
    let result: ReloadResult;
    try {
      const next = readRulesFile(this.path);
      result = { status: next.digest === this.snapshot.digest ? 'unchanged' : 'reloaded', version: next.version };
      if (result.status === 'reloaded') {
        this.options.logger.info({ from: this.snapshot.version, to: next.version }, 'rules reloaded');
        this.snapshot = next;
      }
    } catch (error) {
      result = { status: 'refused', error: (error as Error).message };
      this.options.logger.error(
        { error: result.error, rulesVersion: this.snapshot.version },
        'rules file refused; the previous rules stay in force',
      );
    }
    this.options.onReload?.(result);
    return result;
  }

  close(): void {
    process.off('SIGHUP', this.onSignal);
    clearTimeout(this.timer);
    this.watcher?.close();
  }
}

import type { z } from 'zod';

/** `production` turns dev defaults for secrets into errors; everything else is the same in every mode. */
export type RuntimeMode = 'development' | 'test' | 'production';

export type Env = Record<string, string | undefined>;

/** A service's config schema, built for the mode it runs in. */
export type ConfigSchemaFactory<T> = (mode: RuntimeMode) => z.ZodType<T>;

/** Thrown by `parseConfig`; `problems` holds one line per bad variable, each starting with its name. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function runtimeMode(env: Env): RuntimeMode {
  const value = env.NODE_ENV;
  if (value === 'production' || value === 'test') return value;
  return 'development';
}

/**
 * Parses the environment once and freezes the result. Throws `ConfigError` naming every bad
 * variable; never echoes a variable's value, since secrets travel the same way.
 */
export function parseConfig<T>(factory: ConfigSchemaFactory<T>, env: Env = process.env): Readonly<T> {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV;
  if (nodeEnv !== undefined && !['development', 'test', 'production'].includes(nodeEnv)) {
    problems.push('NODE_ENV: must be one of development, test, production');
  }
  const result = factory(runtimeMode(env)).safeParse(env);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const variable = issue.path.length > 0 ? issue.path.join('.') : '(environment)';
      problems.push(`${variable}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return deepFreeze(result.data);
}

/**
 * For entry points: parses the config or prints one line per problem on stderr and exits with
 * status 1, so a bad deployment stops before it opens a port.
 */
export function loadConfig<T>(factory: ConfigSchemaFactory<T>, env: Env = process.env): Readonly<T> {
  try {
    return parseConfig(factory, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) process.stderr.write(`config error: ${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

import { z } from 'zod';
import type { RuntimeMode } from './load-config';
import { SERVICE_NAMES, type ServiceName } from './service';

export interface StandaloneConfig {
  /** Which services this one process runs. */
  services: ServiceName[];
}

export const standaloneConfigSchema = (_mode: RuntimeMode): z.ZodType<StandaloneConfig> =>
  z
    .object({
      SERVICES: z
        .string()
        .optional()
        .transform((v, ctx) => {
          if (!v || v.trim() === '') return [...SERVICE_NAMES];
          const names = [...new Set(v.split(',').map((s) => s.trim()))];
          const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
          if (unknown.length > 0 || names.length === 0) {
            ctx.addIssue({ code: 'custom', message: `must be a comma-separated subset of ${SERVICE_NAMES.join(',')}` });
            return z.NEVER;
          }
          return names as ServiceName[];
        }),
    })
    .transform((env) => ({ services: env.SERVICES }));

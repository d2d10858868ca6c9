export type { ZodTypeProvider } from 'fastify-type-provider-zod';
export * from './api-keys';
export * from './errors';
export * from './route-access';
export * from './server-options';
export * from './service-client';
export * from './service-kit';

import { z } from 'zod';

/**
 * One HTTP endpoint of a service as its callers see it: method, path template (`:name` segments
 * are the path parameters), the query and body it takes, and the schema of each success answer by
 * status. Error answers are not listed: every service answers them with `errorBody`.
 * `@wallet-guard/http`'s `createServiceClient` turns a table of these into a typed client.
 */
export interface ApiEndpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Success answers (2xx) by status; a 2xx not listed here is an answer the caller cannot use. */
  responses: { readonly [status: number]: z.ZodType };
}

/** A 204 answer: no body. */
export const emptyAnswer = z.undefined();

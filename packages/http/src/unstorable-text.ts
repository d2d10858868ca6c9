import { isUnstorableText as isUnstorable } from '@wallet-guard/contracts';

/** Where unstorable text sits in a request part, as a JSON pointer (`/context/deviceId`). */
export interface TextLocation {
  in: 'params' | 'querystring' | 'body';
  path: string;
}

/**
 * The first string (value or key) in the request's params, query or body that Postgres cannot
 * store, or undefined. Such input would otherwise fail deep in a query as a 500, and no field of
 * ours has a use for it. Walks iteratively (a body may nest thousands deep) and never throws.
 */
export function findUnstorableText(parts: {
  params: unknown;
  query: unknown;
  body: unknown;
}): TextLocation | undefined {
  const stack: [unknown, TextLocation['in'], string][] = [
    [parts.params, 'params', ''],
    [parts.query, 'querystring', ''],
    [parts.body, 'body', ''],
  ];
  while (stack.length > 0) {
    const [value, part, path] = stack.pop() as [unknown, TextLocation['in'], string];
    if (typeof value === 'string') {
      if (isUnstorable(value)) return { in: part, path: path || '/' };
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        stack.push([item, part, `${path}/${index}`]);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
        if (isUnstorable(key)) return { in: part, path: path || '/' };
        stack.push([child, part, childPath]);
      }
    }
  }
  return undefined;
}

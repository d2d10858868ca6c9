export * from './auth';
export * from './cases';
export * from './common';
export * from './fields';
export * from './load-config';
export * from './monitor';
export * from './service';
export * from './standalone';

export * from './infrastructure';
export * from './serve';

export * from './capture';
export * from './kafka';
export * from './logs';
export * from './postgres';
export * from './processes';
export * from './services';
export * from './statements';
export * from './wait';

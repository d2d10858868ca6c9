/**
 * Errors worth retrying because the database (or the way to it) is briefly unavailable, as
 * opposed to errors in the data or the query. Consumers retry these instead of dead-lettering.
 */
export function isTransientDbError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // 08: connection exception; 57P0x: shutdown; 53: insufficient resources; 40001/40P01: retry the transaction.
    if (code.startsWith('08') || code.startsWith('57P') || code.startsWith('53')) return true;
    if (code === '40001' || code === '40P01') return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed/i.test(
    error.message,
  );
}

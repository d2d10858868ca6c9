import { AppError } from '@wallet-guard/http';
import type { BacktestRefused } from './run-backtest';

/** The backtest and rule-performance routes' errors, by stable code (see `backtestRequest`). */
export const backtestErrors = {
  refused: (refusal: BacktestRefused) => {
    const details = refusal.problems.map((message) => ({ in: 'body', path: '/rules', message }));
    switch (refusal.reason) {
      case 'invalid_rules':
        return new AppError(400, 'TXM_BACKTEST_INVALID_RULES', 'The rules document is invalid', details);
      case 'invalid_period':
        return invalidPeriod();
      case 'period_too_long':
        return new AppError(400, 'TXM_BACKTEST_PERIOD_TOO_LONG', refusal.message);
      case 'too_many_transactions':
        return new AppError(413, 'TXM_BACKTEST_TOO_MANY_TRANSACTIONS', refusal.message);
    }
  },
  invalidPeriod: () => invalidPeriod(),
  periodTooLong: (maxDays: number) =>
    new AppError(400, 'TXM_BACKTEST_PERIOD_TOO_LONG', `The period may cover at most ${maxDays} days`),
  /** One backtest at a time per instance: each holds a period's history in memory. */
  busy: () =>
    new AppError(
      429,
      'TXM_BACKTEST_BUSY',
      'Another backtest is running on this instance; retry when it is done',
      undefined,
      {
        'retry-after': '30',
      },
    ),
};

const invalidPeriod = () =>
  new AppError(400, 'TXM_BACKTEST_INVALID_PERIOD', 'from must be before to', [
    { in: 'body', path: '/from', message: 'must be before to' },
  ]);

import { describe, expect, it } from 'vitest';
import { HashingPool } from './hashing-pool';

class Full extends Error {}

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('hashing pool', () => {
  it('runs at most `concurrency` tasks, queues up to `queueMax` and refuses the next one at once', async () => {
    const pool = new HashingPool({ concurrency: 2, queueMax: 2 }, () => new Full());
    const release = gate();
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await release.opened;
      running--;
    };
    const accepted = [pool.run(task), pool.run(task), pool.run(task), pool.run(task)];
    expect([pool.running, pool.queued]).toEqual([2, 2]);
    let prepared = false;
    await expect(
      pool.withTurn(async () => {
        prepared = true;
      }, task),
    ).rejects.toBeInstanceOf(Full);
    expect(prepared).toBe(false);
    release.open();
    await Promise.all(accepted);
    expect(most).toBe(2);
    expect([pool.running, pool.queued]).toEqual([0, 0]);
  });

  it('hands turns out in arrival order and frees the turn when a task or its preparation fails', async () => {
    const pool = new HashingPool({ concurrency: 1, queueMax: 5 }, () => new Full());
    const order: number[] = [];
    const first = gate();
    const runs = [
      pool.run(async () => {
        await first.opened;
        order.push(1);
      }),
      pool.run(async () => {
        order.push(2);
        throw new Error('task failed');
      }),
      pool.withTurn(
        async () => {
          throw new Error('preparation failed');
        },
        async () => order.push(99),
      ),
      pool.run(async () => order.push(3)),
    ];
    first.open();
    const results = await Promise.allSettled(runs);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(order).toEqual([1, 2, 3]);
    expect([pool.running, pool.queued]).toEqual([0, 0]);
  });
});

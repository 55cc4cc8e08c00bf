import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../src/handler/deadlines.js';
import { sleep } from './helpers.js';

describe('DeadlineQueue (one timer for every inline deadline)', () => {
  it('fires uncancelled deadlines after their length, in order; cancelled ones never fire', async () => {
    const queue = new DeadlineQueue(20);
    const fired: number[] = [];
    const a = queue.arm(() => fired.push(1));
    queue.arm(() => fired.push(2));
    await sleep(5);
    const c = queue.arm(() => fired.push(3));
    queue.arm(() => fired.push(4));
    a.cancel();
    await sleep(10);
    expect(fired).toEqual([]); // nothing before its time
    c.cancel();
    await sleep(40);
    expect(fired).toEqual([2, 4]);
  });

  it('re-arms after going idle, and survives thousands of cancelled entries (compaction)', async () => {
    const queue = new DeadlineQueue(5);
    for (let i = 0; i < 5_000; i++) queue.arm(() => expect.unreachable()).cancel();
    await sleep(20);
    let fired = false;
    queue.arm(() => {
      fired = true;
    });
    await sleep(30);
    expect(fired).toBe(true);
  });
});

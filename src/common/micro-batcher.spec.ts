import { MicroBatcher } from './micro-batcher.js';

describe(MicroBatcher.name, () => {
  it('runs calls made together as one batch and gives each caller its own result', async () => {
    const batches: number[][] = [];
    const sut = new MicroBatcher<number, number>(async (items) => {
      batches.push(items);
      return items.map((n) => n * 10);
    });
    await expect(Promise.all([1, 2, 3].map((n) => sut.add(n)))).resolves.toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('starts a batch as soon as it is full', async () => {
    const batches: number[][] = [];
    const sut = new MicroBatcher<number, number>(async (items) => (batches.push(items), items), 2, 10_000);
    await Promise.all([1, 2, 3, 4].map((n) => sut.add(n)));
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('rejects every caller of a failed batch, and keeps working afterwards', async () => {
    let fail = true;
    const sut = new MicroBatcher<number, number>(async (items) => {
      if (fail) throw new Error('database gone');
      return items;
    });
    const results = await Promise.allSettled([sut.add(1), sut.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(sut.add(3)).resolves.toBe(3);
  });
});

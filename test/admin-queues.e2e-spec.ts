import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import { QueueName, TransactionalMailJob } from '../src/common/queue.constants.js';
import { TestApp } from './support/test-app.js';

const TOKEN = 'q'.repeat(40);

describe('GET /admin/queues', () => {
  let app: TestApp;

  beforeAll(async () => {
    // No workers, so the jobs below stay where they are put.
    app = await TestApp.start({ env: { ADMIN_TOKENS: TOKEN }, role: { workers: false } });
  });

  afterAll(async () => {
    await app?.close();
  });

  const queues = async () =>
    (await request(app.http).get('/admin/queues').set('Authorization', `Bearer ${TOKEN}`).expect(200)).body
      .queues as Record<string, unknown>[];

  it('lists every registered queue with its job counts per state', async () => {
    const list = await queues();
    expect(list.map((queue) => queue.name).sort()).toEqual(Object.values(QueueName).sort());
    for (const queue of list) {
      expect(queue).toEqual({
        name: queue.name,
        waiting: 0,
        active: 0,
        delayed: 0,
        prioritized: 0,
        failed: 0,
        completed: 0,
        paused: false,
      });
    }
  });

  it('counts waiting and delayed jobs, and shows a paused queue', async () => {
    const mail = app.app.get<Queue>(getQueueToken(QueueName.TransactionalMail));
    const data = {
      subscriberId: '00000000-0000-4000-8000-000000000000',
      tokenId: '00000000-0000-4000-8000-000000000001',
      token: 'x',
    };
    await mail.add(TransactionalMailJob.Confirmation, data, { jobId: 'waiting-one' });
    await mail.add(TransactionalMailJob.Confirmation, data, { jobId: 'delayed-one', delay: 3_600_000 });
    await mail.pause();
    const entry = (await queues()).find((queue) => queue.name === QueueName.TransactionalMail);
    expect(entry).toMatchObject({ waiting: 1, delayed: 1, active: 0, paused: true });
  });
});

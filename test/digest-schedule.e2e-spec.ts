import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { QueueName } from '../src/common/queue.constants.js';
import { DigestComposer } from '../src/digests/digest-composer.js';
import { Digest } from '../src/digests/digest.entity.js';
import { scheduledPeriod } from '../src/digests/digest-period.js';
import { WeeklyDigestScheduler } from '../src/digests/weekly-digest.scheduler.js';
import { FixtureServer, insertPosts, plusHours, rss } from './fixtures/digests/posts.js';
import { waitForQueueDrained } from './support/queues.js';
import { TestApp } from './support/test-app.js';
import { TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

describe('the weekly digest schedule on several instances', () => {
  let feeds: FixtureServer;
  let database: TestDatabase;
  let instances: TestApp[];

  // The cron fires Monday 08:00 in New York; this tick is 2026-03-09 08:00:00.2 EDT, the Monday after DST began.
  const tickAt = new Date('2026-03-09T12:00:00.200Z');
  const period = scheduledPeriod('0 8 * * 1', 'America/New_York', tickAt);

  beforeAll(async () => {
    feeds = await FixtureServer.start();
    const items = [1, 2, 3].map((n) => ({
      title: `From the feed ${n}`,
      link: `https://www.bhmpc.com/blog/from-the-feed-${n}/`,
      date: plusHours(period.start, 20 * n),
    }));
    const feedUrl = feeds.serve('/feed.xml', 'application/rss+xml', rss(items));
    database = await TestDatabase.create();
    const redisPrefix = `tt${randomBytes(4).toString('hex')}`;
    const options = { database, redisPrefix, env: { FEED_URLS: feedUrl }, role: { workers: true, schedulers: true } };
    instances = await Promise.all([TestApp.start(options), TestApp.start(options), TestApp.start(options)]);
  });

  afterAll(async () => {
    for (const instance of instances ?? []) await instance.close();
    await database?.drop();
    await feeds?.close();
  });

  it('makes and releases one digest when the crons of three instances fire together', async () => {
    const ticks = await Promise.all(instances.map((instance) => instance.get(WeeklyDigestScheduler).tick(tickAt)));
    expect(new Set(ticks.map((tick) => tick.jobId)).size).toBe(1);
    expect(ticks[0].period).toEqual(period);
    expect((period.end.getTime() - period.start.getTime()) / 3_600_000).toBe(167);

    const [first] = instances;
    const digests = first.dataSource.getRepository(Digest);
    // Released: approved, or already further along if a delivery listener took it.
    await waitFor(
      async () =>
        ['approved', 'sending', 'sent'].includes((await digests.findOneBy({ periodEnd: period.end }))?.status ?? ''),
      { what: 'the digest to be released' },
    );
    await waitForQueueDrained(first, QueueName.Digests);
    const queue = first.app.get<Queue>(getQueueToken(QueueName.Digests));
    expect(await queue.getJobCountByTypes('completed', 'failed')).toBe(1);

    const all = await digests.find();
    expect(all).toHaveLength(1);
    expect(all[0].periodStart).toEqual(period.start);
    expect(all[0].periodEnd).toEqual(period.end);
    // Composed from the feed, refreshed by the job before composing.
    expect(all[0].subject).toBe('BHM Healthcare weekly: From the feed 3 and 2 more');

    // A late tick (say an instance restarted and its cron fired again) changes nothing.
    await instances[1].get(WeeklyDigestScheduler).tick(plusHours(tickAt, 3));
    await waitForQueueDrained(first, QueueName.Digests);
    expect(await digests.count()).toBe(1);
  });

  it('composes one digest when the composers of all instances run at once, even without the queue', async () => {
    const other = { start: plusHours(period.start, -24 * 7 * 10), end: plusHours(period.end, -24 * 7 * 10) };
    await insertPosts(instances[0].dataSource, [{ title: 'Raced for', publishedAt: plusHours(other.start, 5) }]);
    const outcomes = await Promise.all(
      instances.map((instance) => instance.get(DigestComposer).compose(other, { refreshFeeds: false })),
    );
    expect(new Set(outcomes.map((outcome) => outcome.digest.id)).size).toBe(1);
    expect(outcomes.filter((outcome) => outcome.created)).toHaveLength(1);
    const [{ count }] = await instances[0].dataSource.query(
      `SELECT count(*)::int AS count FROM digests WHERE period_start = $1`,
      [other.start],
    );
    expect(count).toBe(1);
  });
});

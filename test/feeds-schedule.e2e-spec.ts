import { SchedulerRegistry } from '@nestjs/schedule';
import { Post } from '../src/posts/post.entity.js';
import { FeedServer, feedFixture, feedResponse } from './support/feed-server.js';
import { TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe('scheduled feed polling', () => {
  let feeds: FeedServer;
  let app: TestApp;

  beforeAll(async () => {
    feeds = await FeedServer.start();
    feeds.serve('/feed/', feedResponse(feedFixture('bhm-wordpress.rss.xml'), { etag: '"v1"' }));
    // Every second, so that the test sees it fire instead of waiting for the hour.
    app = await TestApp.start({
      env: { FEED_URLS: feeds.url('/feed/'), FEED_POLL_CRON: '* * * * * *' },
      role: { schedulers: true },
    });
  });

  afterAll(async () => {
    await app?.close();
    await feeds?.close();
  });

  it('polls the feeds on FEED_POLL_CRON in a process that runs schedulers', async () => {
    expect(app.get(SchedulerRegistry).getCronJob('poll-feeds')).toBeTruthy();
    await waitFor(async () => (await app.dataSource.getRepository(Post).count()) === 5, {
      what: 'the scheduled poll to store the feed',
    });
    await waitFor(() => feeds.requestsTo('/feed/').some((request) => request.headers['if-none-match'] === '"v1"'), {
      what: 'a second, conditional scheduled poll',
    });
    expect(await app.dataSource.getRepository(Post).count()).toBe(5);
  });

  it('registers no poll cron in a process without schedulers', async () => {
    const web = await TestApp.start({ env: { FEED_URLS: feeds.url('/feed/') }, database: app.database });
    try {
      expect(web.get(SchedulerRegistry).doesExist('cron', 'poll-feeds')).toBe(false);
    } finally {
      await web.close();
    }
  });
});

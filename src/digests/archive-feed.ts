import { Feed } from 'feed';
import type { CompanyProfile } from '../config/company-profile.js';
import { escapeHtml } from '../rendering/placeholders.js';
import type { ArchivedDigest } from './digest-archive.service.js';

export interface ArchiveFeedSite {
  company: CompanyProfile;
  /** The feed's own address (rel=self) and the archive page it mirrors (rel=alternate). */
  feedUrl: string;
  archiveUrl: string;
  faviconUrl: string;
}

/**
 * Characters XML 1.0 does not allow at all, escaped or not (most C0 controls, lone surrogates,
 * U+FFFE/U+FFFF). A post title from a feed could carry one; it would make the whole feed unreadable.
 */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const xml = (value: string) => value.replace(NOT_XML, '');

/**
 * The archive as an Atom 1.0 feed: one entry per digest, newest first, its id the digest's
 * permanent archive URL. The `feed` library escapes for XML (and wraps type="html" values in
 * CDATA); values are escaped for HTML here first, so none of it can ever be read as markup.
 */
export function archiveAtom(site: ArchiveFeedSite, digests: ArchivedDigest[]): string {
  const { company } = site;
  const feed = new Feed({
    id: site.archiveUrl,
    title: xml(`${company.shortName} weekly digest`),
    description: xml(`Every weekly digest of the ${company.shortName} blog, newest first.`),
    link: site.archiveUrl,
    language: 'en',
    favicon: site.faviconUrl,
    updated: digests[0]?.sentAt ?? new Date(0),
    generator: false,
    feedLinks: { atom: site.feedUrl },
    author: { name: xml(company.name), link: company.website },
    copyright: xml(company.name),
  });
  for (const digest of digests) {
    feed.addItem({
      id: digest.url,
      link: digest.url,
      // The library marks entry titles, summaries and content type="html": plain text is escaped as HTML first.
      title: xml(escapeHtml(digest.subject)),
      date: digest.sentAt,
      published: digest.sentAt,
      description: xml(escapeHtml(digest.description)),
      content: xml(entryHtml(digest)),
    });
  }
  return feed.atom1();
}

function entryHtml(digest: ArchivedDigest): string {
  const items = digest.posts.map(
    (post) =>
      `<li><a href="${escapeHtml(post.url)}">${escapeHtml(post.title)}</a>` +
      (post.summary ? `<br>${escapeHtml(post.summary)}` : '') +
      '</li>',
  );
  return `<p>${escapeHtml(digest.intro)}</p><ul>${items.join('')}</ul>`;
}

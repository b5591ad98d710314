import { chooseGuid } from './post-guid.js';

describe(chooseGuid.name, () => {
  const sut = chooseGuid;
  const link = 'https://www.bhmpc.com/2025/11/post/';

  it("prefers the feed's own id, trimmed", () => {
    expect(sut(' https://www.bhmpc.com/?p=9101 ', link)).toBe('https://www.bhmpc.com/?p=9101');
    expect(sut('tag:www.bhmpc.com,2025:news/1', link)).toBe('tag:www.bhmpc.com,2025:news/1');
  });

  it('turns a numeric id into text', () => {
    expect(sut(9101, link)).toBe('9101');
  });

  it('falls back to the link when there is no id or a blank one', () => {
    expect(sut(undefined, link)).toBe(link);
    expect(sut('   ', link)).toBe(link);
  });

  it('answers null with neither', () => {
    expect(sut(undefined, null)).toBeNull();
  });

  it('hashes an id too long for the column instead of cutting it', () => {
    const long = `urn:${'x'.repeat(2100)}`;
    const guid = sut(long, link)!;
    expect(guid).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(sut(`${long}y`, link)).not.toBe(guid);
  });
});

import { maskAddress } from './mask-address.js';

describe('maskAddress', () => {
  it.each([
    ['jane.doe@example.com', 'j•••@e•••.com'],
    ['a@b.co.uk', 'a•••@b•••.uk'],
    ['reader+news@mail.example.org', 'r•••@m•••.org'],
    ['x@localhost', 'x•••@l•••'],
  ])('masks %s as %s', (email, masked) => {
    expect(maskAddress(email)).toBe(masked);
  });

  it('keeps neither the whole mailbox nor the whole domain', () => {
    const masked = maskAddress('someone.private@hospital-network.example');
    expect(masked).not.toContain('someone');
    expect(masked).not.toContain('hospital');
  });
});

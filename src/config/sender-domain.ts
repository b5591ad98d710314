/** The domain of an address like `Name <user@example.com>`. */
export function senderDomain(from: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(from);
  return match ? match[1].toLowerCase() : 'localhost';
}

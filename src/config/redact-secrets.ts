/** A query parameter whose name says its value is a credential: `token`, `api_key`, `sig`, `password` ... */
const SECRET_PARAMETER = /token|key|secret|pass|pwd|auth|sig|session|cred|jwt/i;

/**
 * `text` with the credentials of every URL in it masked: the user and password before the host,
 * and the values of query parameters named like a credential. Configured URLs may carry them
 * (`https://user:pass@host/feed`, `?token=`), and they must reach no log line, stored error or API
 * answer. Text without such a URL comes back unchanged, byte for byte.
 */
export function redactSecrets(text: string): string {
  return (
    text
      // Up to the last @ before the path: an unencoded @ in a password still ends up masked.
      .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi, '$1***@')
      .replace(/([?&;]([^=&#\s"'<>]*)=)([^&#\s"'<>),]+)/g, (whole, start: string, name: string) =>
        SECRET_PARAMETER.test(name) ? `${start}***` : whole,
      )
  );
}

import { type Challenge, createChallenge, solveChallenge } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/pbkdf2';

/** The subscribe form's `altcha` field for a challenge and its solution: base64 of the JSON, as the widget sends it. */
export const encodeAltcha = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64');

/** A challenge solved here, as the widget would solve it in a browser. */
export async function solveAltcha(challenge: Challenge) {
  const solution = await solveChallenge({ challenge, deriveKey });
  return { challenge, solution: solution! };
}

/** A challenge signed with `key` that expired a second ago, solved: cheap work, since only its date is wrong. */
export async function expiredAltcha(key: string) {
  const challenge = await createChallenge({
    algorithm: 'PBKDF2/SHA-256',
    cost: 1,
    counter: 9,
    deriveKey,
    expiresAt: new Date(Date.now() - 1_000),
    hmacSignatureSecret: key,
  });
  return solveAltcha(challenge);
}

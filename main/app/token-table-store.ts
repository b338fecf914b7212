// The sync worker's secret store: tokens the main thread already decrypted, looked up by ciphertext.
// The worker only reads tokens (connectToServer); it never stores one, so encrypt() refuses.
import { type SecretStore, unreadableSecretError } from '../secrets/secret-store.js';

export class TokenTableSecretStore implements SecretStore {
  readonly kind = 'token-table';

  constructor(private readonly tokens: ReadonlyMap<string, string>) {}

  encrypt(): string {
    throw new Error('The sync worker cannot store tokens; only the main process can.');
  }

  decrypt(ciphertext: string): string {
    const token = this.tokens.get(ciphertext);
    if (token === undefined) throw unreadableSecretError('the main process could not decrypt it');
    return token;
  }
}

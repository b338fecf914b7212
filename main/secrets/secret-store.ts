// Encrypts Plex tokens before they reach the catalog. Two implementations: a key file (CLI, headless) and
// Electron's safeStorage (desktop). Ciphertexts are text so they fit the catalog's TEXT column.

export interface SecretStore {
  /** Which implementation wrote a ciphertext: 'key-file', 'safe-storage', or a future one. */
  readonly kind: 'key-file' | 'safe-storage' | (string & {});
  encrypt(plain: string): string;
  /** Throws SecretStoreError 'SECRET_UNREADABLE' when the ciphertext cannot be decrypted with this store's key. */
  decrypt(ciphertext: string): string;
}

export type SecretStoreErrorCode =
  /** The ciphertext is damaged or was made with another key: the user must enter the token again. */
  | 'SECRET_UNREADABLE'
  /** The key file can be read by other users and fixing it was not allowed. */
  | 'SECRET_KEY_INSECURE'
  /** The key file exists but does not hold a key. */
  | 'SECRET_KEY_INVALID';

export class SecretStoreError extends Error {
  readonly code: SecretStoreErrorCode;

  constructor(code: SecretStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

export function unreadableSecretError(detail: string, cause?: unknown): SecretStoreError {
  return new SecretStoreError(
    'SECRET_UNREADABLE',
    `A stored Plex token cannot be decrypted (${detail}). This happens when the key that encrypted it was ` +
      'replaced or lost. Enter the server token again to store it with the current key.',
    cause === undefined ? undefined : { cause },
  );
}

// Plex tokens encrypted with Electron's safeStorage (Keychain, DPAPI, libsecret/KWallet), or with the key
// file when the OS offers nothing better (see main/app/secret-storage-choice.ts). Main process only:
// safeStorage does not exist in workers, which is why the sync worker gets decrypted tokens instead.
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretStorageStatus } from '../../shared/ipc.js';
import { chooseSecretStorage } from '../app/secret-storage-choice.js';
import { KEY_FILE_NAME, openKeyFileSecretStore } from '../secrets/key-file-store.js';
import { type SecretStore, unreadableSecretError } from '../secrets/secret-store.js';

const PREFIX = 'ss1:';

export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'safe-storage';

  /** `keyFileStore`: reads key-file ciphertexts (a catalog that used the fallback before), opened on demand. */
  constructor(private readonly keyFileStore?: () => SecretStore) {}

  encrypt(plain: string): string {
    return PREFIX + safeStorage.encryptString(plain).toString('base64');
  }

  decrypt(ciphertext: string): string {
    if (!ciphertext.startsWith(PREFIX)) {
      if (this.keyFileStore !== undefined) return this.keyFileStore().decrypt(ciphertext);
      throw unreadableSecretError('it was not written by the system credential storage');
    }
    try {
      return safeStorage.decryptString(Buffer.from(ciphertext.slice(PREFIX.length), 'base64'));
    } catch (error) {
      throw unreadableSecretError('the system credential storage could not decrypt it', error);
    }
  }
}

/** Call after `app.whenReady()`: on Linux the backend is only known then. */
export function openDesktopSecretStore(configDir: string): { store: SecretStore; status: SecretStorageStatus } {
  const keyFile = join(configDir, KEY_FILE_NAME);
  const status = chooseSecretStorage(
    {
      encryptionAvailable: safeStorage.isEncryptionAvailable(),
      linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
    },
    keyFile,
  );
  const openKeyFile = (): SecretStore => openKeyFileSecretStore(configDir, { onInsecureKeyFile: (message) => console.warn(message) });
  if (status.kind === 'key-file') return { store: openKeyFile(), status };
  let keyFileStore: SecretStore | undefined;
  return {
    store: new SafeStorageSecretStore(() => (keyFileStore ??= openKeyFile())),
    status,
  };
}

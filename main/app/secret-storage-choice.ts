// Which secret store the desktop app uses. Electron's safeStorage encrypts with the OS keychain; on Linux
// without a keyring it silently degrades to `basic_text` (a hard-coded key: obfuscation, not encryption).
// Then the key file (main/secrets/key-file-store.ts) is the better choice, and the UI says so.
import type { SecretStorageStatus } from '../../shared/ipc.js';

export interface SafeStorageFacts {
  encryptionAvailable: boolean;
  /** Linux only: safeStorage.getSelectedStorageBackend(); null elsewhere. */
  linuxBackend: string | null;
}

export function chooseSecretStorage(facts: SafeStorageFacts, keyFile: string): SecretStorageStatus {
  if (!facts.encryptionAvailable) {
    return {
      kind: 'key-file',
      warning:
        `This system offers no encrypted credential storage to Marquee, so Plex tokens are encrypted with a key ` +
        `kept in ${keyFile}. Anyone who can read that file can read the tokens.`,
    };
  }
  if (facts.linuxBackend === 'basic_text' || facts.linuxBackend === 'unknown') {
    return {
      kind: 'key-file',
      warning:
        `No keyring (GNOME Keyring, KWallet) is available, so Plex tokens are encrypted with a key kept in ` +
        `${keyFile} instead. Anyone who can read that file can read the tokens; install or unlock a keyring ` +
        'and restart Marquee to use it.',
    };
  }
  return { kind: 'safe-storage', warning: null };
}

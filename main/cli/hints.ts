// Remedies the CLI adds to failures whose likeliest cause it knows better than the layer that failed.

/** SecretStoreError's code for a token that cannot be decrypted with this key file. */
export const UNREADABLE_TOKEN = 'SECRET_UNREADABLE';

export function isUnreadableToken(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === UNREADABLE_TOKEN;
}

/**
 * A token stored by this CLI becomes unreadable mostly when another key file is in use: a different
 * $MARQUEE_CONFIG_DIR (or none) than when the server was added. Either point at that one or store it again.
 */
export function unreadableTokenHint(configDir: string, serverName?: string): string {
  const name = serverName === undefined ? 'NAME' : shellWord(serverName);
  return (
    `The key in ${configDir} (MARQUEE_CONFIG_DIR) is not the one that encrypted it: most likely the server was ` +
    `added with another MARQUEE_CONFIG_DIR; set that one, or store the token again with \`marquee server update ${name} --token\`.`
  );
}

/** The word quoted for a POSIX shell when it needs to be. */
export function shellWord(word: string): string {
  return /^[\w.@%+=:,/-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

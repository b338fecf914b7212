// The X-Plex-* headers that name this installation to Plex (a server or plex.tv). One builder, so a server and
// plex.tv see the same client identifier, product and device (plex.tv lists the app under "Authorized Devices"
// by them).
import os from 'node:os';
import { APP_NAME, APP_VERSION } from '../app-info.js';

export interface PlexClientIdentity {
  /** X-Plex-Client-Identifier: stable per installation, persisted by the caller. */
  clientIdentifier: string;
  /** X-Plex-Product, default 'Marquee'. */
  product?: string;
  /** X-Plex-Version. */
  version?: string;
  /** X-Plex-Platform, default from the OS. */
  platform?: string;
  /** X-Plex-Device (the kind of device), default the platform. */
  device?: string;
  /** X-Plex-Device-Name, default the host name. */
  deviceName?: string;
}

export function plexClientHeaders(identity: PlexClientIdentity): Record<string, string> {
  const product = identity.product ?? APP_NAME;
  const version = identity.version ?? APP_VERSION;
  const platform = identity.platform ?? platformName();
  return {
    'user-agent': `${product}/${version}`,
    'x-plex-client-identifier': identity.clientIdentifier,
    'x-plex-product': product,
    'x-plex-version': version,
    'x-plex-platform': platform,
    'x-plex-device': identity.device ?? platform,
    'x-plex-device-name': identity.deviceName ?? os.hostname(),
  };
}

export function platformName(): string {
  switch (process.platform) {
    case 'darwin':
      return 'macOS';
    case 'win32':
      return 'Windows';
    case 'linux':
      return 'Linux';
    default:
      return process.platform;
  }
}

// How Marquee names itself to Plex (X-Plex-Product / X-Plex-Version) and to the user.
export const APP_NAME = 'Marquee';
export const APP_VERSION = '0.1.0';

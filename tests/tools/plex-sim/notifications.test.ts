// The simulator's notification socket, driven over a real WebSocket (Node's global client).
import { afterEach, describe, expect, it } from 'vitest';

import { startPlexSim, type PlexSim, type PlexSimOptions } from '../../../tools/plex-sim/server.js';

let sim: PlexSim | undefined;

afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: PlexSimOptions = {}): Promise<PlexSim> {
  sim = await startPlexSim({ seed: 3, ...options });
  return sim;
}

interface Client {
  socket: WebSocket;
  frames: unknown[];
  closed: Promise<void>;
}

function socketUrl(server: PlexSim, token = server.token): string {
  return `${server.url.replace('http', 'ws')}/:/websockets/notifications?X-Plex-Token=${encodeURIComponent(token)}`;
}

async function connect(server: PlexSim, token?: string): Promise<Client> {
  const socket = new WebSocket(socketUrl(server, token));
  const frames: unknown[] = [];
  socket.addEventListener('message', (event) => {
    const text = String(event.data);
    try {
      frames.push(JSON.parse(text));
    } catch {
      frames.push(text);
    }
  });
  const closed = new Promise<void>((resolve) => socket.addEventListener('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve());
    socket.addEventListener('error', () => reject(new Error('socket failed')));
  });
  return { socket, frames, closed };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

interface Container {
  NotificationContainer?: {
    type?: string;
    TimelineEntry?: { itemID: string; sectionID: string; state: number; type: number }[];
    ActivityNotification?: { event: string; Activity: { type: string; Context: { librarySectionID: string } } }[];
  };
}

function entries(frames: unknown[]) {
  return frames.flatMap((frame) => (frame as Container).NotificationContainer?.TimelineEntry ?? []);
}

function movieSection(server: PlexSim): string {
  const section = server.library.sections().find((entry) => entry.type === 'movie');
  if (!section) throw new Error('no movie section');
  return section.key;
}

describe('notification socket', () => {
  it('announces a new movie as state 0 then 5, an edit as 5, a removal as 9, with the item and section ids', async () => {
    const server = await start();
    const client = await connect(server);
    const section = movieSection(server);
    const key = server.library.addMovie(section, { title: 'Fresh' });
    server.library.editItem(key, { title: 'Fresher' });
    server.library.removeItem(key);
    await until(() => entries(client.frames).length >= 4);
    expect(entries(client.frames).map((entry) => [entry.itemID, entry.sectionID, entry.state, entry.type])).toEqual([
      [key, section, 0, 1],
      [key, section, 5, 1],
      [key, section, 5, 1],
      [key, section, 9, 1],
    ]);
    expect(server.notifications.log.map((entry) => entry.status)).toEqual([101]);
    expect(JSON.stringify(server.notifications.log)).not.toContain(server.token);
  });

  it('refuses a wrong token with 401 and, with `refuse`, every upgrade with 404', async () => {
    const server = await start();
    await expect(connect(server, 'wrong')).rejects.toThrow();
    expect(server.notifications.log.at(-1)?.status).toBe(401);
    await server.close();
    const refusing = await start({ notifications: { refuse: true } });
    await expect(connect(refusing)).rejects.toThrow();
    expect(refusing.notifications.log.at(-1)?.status).toBe(404);
  });

  it('groups a burst into messages of at most 100 entries', async () => {
    const server = await start({ library: { movies: 5, shows: 4, episodes: 400 } });
    const client = await connect(server);
    const touched = server.library.touchEpisodes(1);
    await until(() => entries(client.frames).length >= touched);
    expect(client.frames.length).toBe(Math.ceil(touched / 100));
  });

  it('a scan sends activity started, what it found, and ended; an item refresh answers PUT', async () => {
    const server = await start();
    const client = await connect(server);
    const section = movieSection(server);
    let added = '';
    server.notifications.stageForScan(section, () => {
      added = server.library.addMovie(section, { title: 'Found by the scan' });
    });
    const scan = await fetch(`${server.url}/library/sections/${section}/refresh?path=${encodeURIComponent('/media/new')}`, {
      headers: { 'X-Plex-Token': server.token },
    });
    expect(scan.status).toBe(200);
    await until(() => client.frames.length >= 3);
    const types = client.frames.map((frame) => (frame as Container).NotificationContainer?.type);
    expect(types).toEqual(['activity', 'timeline', 'activity']);
    const ended = (client.frames.at(-1) as Container).NotificationContainer?.ActivityNotification?.[0];
    expect(ended?.event).toBe('ended');
    expect(ended?.Activity.type).toBe('library.update.section');
    expect(ended?.Activity.Context.librarySectionID).toBe(section);
    expect(entries(client.frames).some((entry) => entry.itemID === added && entry.state === 5)).toBe(true);

    const refresh = await fetch(`${server.url}/library/metadata/${added}/refresh`, {
      method: 'PUT',
      headers: { 'X-Plex-Token': server.token },
    });
    expect(refresh.status).toBe(200);
    const missing = await fetch(`${server.url}/library/metadata/999999/refresh`, {
      method: 'PUT',
      headers: { 'X-Plex-Token': server.token },
    });
    expect(missing.status).toBe(404);
    await until(() => entries(client.frames).filter((entry) => entry.itemID === added).length >= 3);
  });

  it('silent: accepts the socket and sends nothing; skipEvents: the first changes are never announced', async () => {
    const server = await start({ notifications: { silent: true } });
    const client = await connect(server);
    server.library.addMovie(movieSection(server));
    const probe = await fetch(`${server.url}/identity`);
    expect(probe.status).toBe(200);
    expect(client.frames).toEqual([]);
    await server.close();

    const skipping = await start({ notifications: { skipEvents: 1 } });
    const second = await connect(skipping);
    skipping.library.addMovie(movieSection(skipping), { title: 'Unannounced' });
    const announced = skipping.library.addMovie(movieSection(skipping), { title: 'Announced' });
    await until(() => entries(second.frames).length >= 2);
    expect(new Set(entries(second.frames).map((entry) => entry.itemID))).toEqual(new Set([announced]));
  });

  it('stallAfterMessages keeps the socket open but carrying nothing; stallAll does it to the open ones', async () => {
    const server = await start({ notifications: { stallAfterMessages: 1 } });
    const first = await connect(server);
    server.library.addMovie(movieSection(server), { title: 'Before The Stall' });
    await until(() => first.frames.length === 1);
    server.library.addMovie(movieSection(server), { title: 'Into The Void' });
    const second = await connect(server);
    server.library.addMovie(movieSection(server), { title: 'To The Newcomer' });
    await until(() => second.frames.length === 1);
    // The stalled socket got nothing more, and is still open: no close frame, no cut.
    expect(server.notifications.messagesSent).toBe(2);
    expect(first.frames).toHaveLength(1);
    expect(server.notifications.sockets.size).toBe(2);
    expect(first.socket.readyState).toBe(WebSocket.OPEN);
    await server.close();

    const plain = await start();
    const client = await connect(plain);
    plain.notifications.stallAll();
    plain.library.addMovie(movieSection(plain));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(plain.notifications.messagesSent).toBe(0);
    expect(client.frames).toEqual([]);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('dropAfterMessages cuts the socket; dropAll cuts every one; unknown types and malformed frames come first', async () => {
    const server = await start({ notifications: { dropAfterMessages: 3, unknownTypes: true, malformedFrames: true } });
    const client = await connect(server);
    server.library.addMovie(movieSection(server));
    await client.closed;
    expect(client.frames.length).toBeGreaterThanOrEqual(2);
    expect((client.frames[0] as Container).NotificationContainer?.type).toBe('marquee.sim.unknown');
    await server.close();

    const plain = await start();
    const other = await connect(plain);
    plain.notifications.dropAll();
    await other.closed;
    expect(plain.notifications.sockets.size).toBe(0);
  });
});

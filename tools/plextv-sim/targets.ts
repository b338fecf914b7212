// The places a plex.tv resource's connections point at, for tests: real loopback listeners that behave like the
// connections people meet. One works (a simulated PMS), one refuses (a closed port), one hangs (accepts, never
// answers), one has a TLS certificate for another name, one is another server, one is a relay (a TCP forwarder
// to the working server, as plex.tv's relays forward to the real one).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPlexSim, type PlexSim } from '../plex-sim/server.js';
import type { SimConnection } from './server.js';

export type TargetKind = 'works' | 'refuses' | 'hangs' | 'tlsMismatch' | 'otherServer' | 'relay' | 'lan' | 'remote';

/** The forwarded connections, which a test can cut (the server lives on; that way in stops answering). */
export type CuttableKind = 'relay' | 'lan' | 'remote';

export interface ConnectionTargets {
  /** The simulated PMS the resource really is (machineIdentifier = the resource's clientIdentifier). */
  server: PlexSim;
  /** Another simulated PMS, with a different machineIdentifier. */
  otherServer: PlexSim;
  /** One connection per kind, flagged as plex.tv would flag it. */
  connections: Record<TargetKind, SimConnection>;
  /** The self-signed certificate (PEM) of the mismatching https listener, named "wrong.example". */
  certificatePem: string;
  /** Closes that way in: new connections to it are refused from then on (a laptop leaving the home network). */
  cut(kind: CuttableKind): Promise<void>;
  close(): Promise<void>;
}

/** A self-signed certificate for "wrong.example", made with the openssl CLI at test time (nothing committed). */
export function makeTestCertificate(commonName = 'wrong.example'): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'plextv-sim-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        `subjectAltName=DNS:${commonName}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startConnectionTargets(options: { machineIdentifier: string; token?: string }): Promise<ConnectionTargets> {
  const server = await startPlexSim({
    machineIdentifier: options.machineIdentifier,
    friendlyName: 'Home',
    ...(options.token !== undefined ? { token: options.token } : {}),
  });
  const otherServer = await startPlexSim({ machineIdentifier: 'f'.repeat(40), friendlyName: 'Neighbour' });
  const refusedPort = await closedPort();
  const sockets = new Set<Socket>();
  const hanging = await listen(createNetServer((socket) => void sockets.add(socket)));
  const serverPort = Number(new URL(server.url).port);
  // A TCP forwarder to the working server: how a relay, or another address of the same server, reaches it.
  const forwarder = (): Promise<NetServer> =>
    listen(
      createNetServer((socket) => {
        const upstream = connect(serverPort, '127.0.0.1');
        sockets.add(socket).add(upstream);
        socket.pipe(upstream).pipe(socket);
        const drop = (): void => {
          socket.destroy();
          upstream.destroy();
        };
        socket.on('error', drop);
        upstream.on('error', drop);
      }),
    );
  const forwarders: Record<CuttableKind, NetServer> = { relay: await forwarder(), lan: await forwarder(), remote: await forwarder() };
  const cutKinds = new Set<CuttableKind>();
  const { cert, key } = makeTestCertificate();
  // It would even answer as the right server: only the certificate is wrong, so a client must refuse it on that.
  const tls = createHttpsServer({ cert, key }, (_req, res) => {
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ MediaContainer: { size: 0, machineIdentifier: options.machineIdentifier } }));
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  const tlsPort = portOf(tls);

  const http = (port: number, flags: Partial<SimConnection>): SimConnection => ({
    protocol: 'http',
    address: '127.0.0.1',
    port,
    uri: `http://127.0.0.1:${port}`,
    local: true,
    relay: false,
    IPv6: false,
    ...flags,
  });
  return {
    server,
    otherServer,
    certificatePem: cert,
    connections: {
      works: http(serverPort, {}),
      refuses: http(refusedPort, { local: false }),
      hangs: http(portOf(hanging), { local: false }),
      tlsMismatch: { ...http(tlsPort, {}), protocol: 'https', uri: `https://127.0.0.1:${tlsPort}` },
      otherServer: http(Number(new URL(otherServer.url).port), {}),
      relay: http(portOf(forwarders.relay), { local: false, relay: true }),
      lan: http(portOf(forwarders.lan), {}),
      remote: http(portOf(forwarders.remote), { local: false }),
    },
    async cut(kind) {
      if (cutKinds.has(kind)) return;
      cutKinds.add(kind);
      const closing = closeServer(forwarders[kind]);
      // Open connections through it die too: the next request must find the door shut.
      for (const socket of sockets) socket.destroy();
      await closing;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      tls.closeAllConnections();
      const open = (Object.keys(forwarders) as CuttableKind[])
        .filter((kind) => !cutKinds.has(kind))
        .map((kind) => closeServer(forwarders[kind]));
      await Promise.all([server.close(), otherServer.close(), closeServer(hanging), closeServer(tls), ...open]);
    },
  };
}

async function listen<T extends NetServer>(server: T): Promise<T> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function portOf(server: NetServer): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('not listening');
  return address.port;
}

/** A port that was just free and is closed again: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = await listen(createNetServer());
  const port = portOf(server);
  await closeServer(server);
  return port;
}

function closeServer(server: NetServer): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

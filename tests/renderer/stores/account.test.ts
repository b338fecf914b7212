import { describe, expect, it } from 'vitest';
import type { AccountInfo, DiscoveredServerView, SignInStarted } from '../../../shared/ipc.js';
import { createApi } from '../../../renderer/api.js';
import { createAccountStore } from '../../../renderer/stores/account.js';
import { deferred, FakeBridge, Refusal } from '../fake-bridge.js';

const STARTED: SignInStarted = {
  pinId: 7,
  code: 'ABCD',
  authUrl: 'https://app.plex.tv/auth#?clientID=c&code=ABCD',
  expiresAt: Date.now() + 1_800_000,
};
const SIGNED_OUT: AccountInfo = { signedIn: false, account: null, pendingSignIn: null, servers: [] };
const SIGNED_IN: AccountInfo = {
  signedIn: true,
  account: { username: 'marquee-user', email: null, avatarUrl: null, signedInAt: 1 },
  pendingSignIn: null,
  servers: [],
};

function discovered(overrides: Partial<DiscoveredServerView>): DiscoveredServerView {
  return {
    id: 'a',
    name: 'Home',
    owned: true,
    ownershipNote: null,
    cataloguedAs: null,
    chosen: { uri: 'http://h:32400', kind: 'local', latencyMs: 3 },
    warning: null,
    connections: [],
    ...overrides,
  };
}

function setup(bridge: FakeBridge) {
  let changes = 0;
  const store = createAccountStore(createApi(bridge), { onServersChanged: () => (changes += 1) });
  const detach = store.getState().attach();
  return { store, detach, changes: () => changes };
}

describe('account store', () => {
  it('shows the code, ends the dialog on approval, then lists the servers with the reachable new ones ticked', async () => {
    let info = SIGNED_OUT;
    const bridge = new FakeBridge({
      'account:startSignIn': () => STARTED,
      'account:openSignInPage': () => ({ opened: true }),
      'account:info': () => info,
      'account:discover': () => [
        discovered({ id: 'a' }),
        discovered({ id: 'b', name: 'Friend', owned: false, chosen: null }),
        discovered({ id: 'c', name: 'Old', cataloguedAs: 'Old' }),
      ],
    });
    const { store, changes } = setup(bridge);
    await store.getState().startSignIn();
    expect(store.getState().signIn).toMatchObject({ status: 'waiting', started: STARTED });
    await store.getState().openSignInPage();
    expect(bridge.callsOf('account:openSignInPage')).toEqual([{ pinId: 7 }]);
    expect(store.getState().signIn?.opened).toBe(true);

    // An event of another PIN changes nothing here.
    bridge.emit('account:signin', { pinId: 6, state: 'expired' });
    expect(store.getState().signIn?.status).toBe('waiting');

    info = SIGNED_IN;
    bridge.emit('account:signin', {
      pinId: 7,
      state: 'approved',
      account: SIGNED_IN.account ?? { username: '', email: null, avatarUrl: null, signedInAt: null },
      refreshedServers: [],
      refreshFailure: null,
    });
    expect(store.getState().signIn).toBeNull();
    expect(changes()).toBe(1);
    await expect.poll(() => store.getState().discovery.status).toBe('done');
    expect(store.getState().info?.signedIn).toBe(true);
    expect(store.getState().selected).toEqual(['a']);
  });

  it('says when the code expired, and cancels a waiting sign-in in main', async () => {
    const bridge = new FakeBridge({ 'account:startSignIn': () => STARTED, 'account:cancelSignIn': () => ({ cancelled: true }) });
    const { store } = setup(bridge);
    await store.getState().startSignIn();
    bridge.emit('account:signin', { pinId: 7, state: 'expired' });
    expect(store.getState().signIn?.status).toBe('expired');
    await store.getState().cancelSignIn();
    // Nothing is waiting in main any more: nothing to cancel there.
    expect(bridge.callsOf('account:cancelSignIn')).toEqual([]);

    await store.getState().startSignIn();
    await store.getState().cancelSignIn();
    expect(store.getState().signIn).toBeNull();
    expect(bridge.callsOf('account:cancelSignIn')).toEqual([{ pinId: 7 }]);
  });

  it('cancels in main a code that arrives after the user cancelled', async () => {
    const answer = deferred<SignInStarted>();
    const bridge = new FakeBridge({ 'account:startSignIn': () => answer.promise, 'account:cancelSignIn': () => ({ cancelled: true }) });
    const { store } = setup(bridge);
    const starting = store.getState().startSignIn();
    await store.getState().cancelSignIn();
    answer.resolve(STARTED);
    await starting;
    expect(store.getState().signIn).toBeNull();
    await expect.poll(() => bridge.callsOf('account:cancelSignIn')).toEqual([{ pinId: 7 }]);
  });

  it('adds the ticked servers, reports refusals, and keeps a failure to show', async () => {
    const bridge = new FakeBridge({
      'account:info': () => SIGNED_IN,
      'account:discover': () => [discovered({ id: 'a' }), discovered({ id: 'b', name: 'Den' })],
      'account:addServers': (input) => ({
        added: [{ serverId: 1, name: 'Home', owned: true, connectionUri: 'http://h:32400', libraries: 3 }],
        refused: input.ids.includes('b') ? [{ id: 'b', name: 'Den', reason: 'No connection answered.' }] : [],
      }),
    });
    const { store, changes } = setup(bridge);
    await store.getState().discover();
    expect(store.getState().selected).toEqual(['a', 'b']);
    store.getState().toggle('b', false);
    store.getState().toggle('b', true);
    await store.getState().addSelected();
    expect(bridge.callsOf('account:addServers')).toEqual([{ ids: ['a', 'b'] }]);
    expect(store.getState().addResult?.refused).toHaveLength(1);
    expect(store.getState().selected).toEqual([]);
    expect(changes()).toBe(1);
    const listed = store.getState().discovery;
    expect(listed.status === 'done' && listed.servers.find((server) => server.id === 'a')?.cataloguedAs).toBe('Home');

    bridge.handlers['account:discover'] = () => {
      throw new Refusal('UNAUTHORIZED', 'Not signed in with Plex.');
    };
    await store.getState().discover();
    expect(store.getState().discovery).toMatchObject({ status: 'error', error: { code: 'UNAUTHORIZED' } });
  });

  it('switches a connection and tells the other stores; a refused one keeps the last list', async () => {
    const view = { serverId: 3, chosenUri: 'http://a', switched: false, warning: null, connections: [] };
    const bridge = new FakeBridge({
      'account:info': () => SIGNED_IN,
      'servers:connections': () => view,
      'servers:useConnection': (input) => {
        if (input.uri === 'http://bad') throw new Refusal('FAILED', 'http://bad does not work now.');
        return { ...view, chosenUri: input.uri, switched: true };
      },
    });
    const { store, changes } = setup(bridge);
    await store.getState().loadConnections(3);
    expect(store.getState().connections[3]).toEqual({ status: 'done', view });
    await store.getState().switchConnection(3, 'http://b');
    expect(store.getState().connections[3]).toMatchObject({ status: 'done', view: { chosenUri: 'http://b' } });
    expect(changes()).toBe(1);
    await store.getState().switchConnection(3, 'http://bad');
    expect(store.getState().connections[3]).toMatchObject({ status: 'error', view: { chosenUri: 'http://b' }, error: { code: 'FAILED' } });
    expect(store.getState().switching).toEqual({});
  });
});

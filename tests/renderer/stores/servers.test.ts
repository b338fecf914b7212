import { describe, expect, it } from 'vitest';
import { createApi } from '../../../renderer/api.js';
import { createServersStore } from '../../../renderer/stores/servers.js';
import { FakeBridge, Refusal } from '../fake-bridge.js';
import { server } from '../fixtures.js';

const TOKEN = 'secret-token-abc123';

function setup(bridge: FakeBridge) {
  let changes = 0;
  const store = createServersStore(createApi(bridge), { onChanged: () => (changes += 1) });
  return { store, changes: () => changes };
}

describe('servers store', () => {
  it('loads the list', async () => {
    const { store } = setup(new FakeBridge({ 'servers:list': () => [server()] }));
    await store.getState().load();
    expect(store.getState()).toMatchObject({ servers: [server()], loaded: true, loadError: null });
  });

  it('keeps a load failure to show', async () => {
    const { store } = setup(new FakeBridge({}));
    await store.getState().load();
    expect(store.getState().loaded).toBe(true);
    expect(store.getState().loadError?.code).toBe('FAILED');
  });

  it('adds a server tested by main, trimmed, and never keeps the token', async () => {
    const bridge = new FakeBridge({ 'servers:add': (input) => server({ id: 4, name: input.name, url: input.url }) });
    const { store, changes } = setup(bridge);
    const added = await store.getState().add({ name: ' Den ', url: ' http://den:32400 ', token: ` ${TOKEN} ` });
    expect(added?.id).toBe(4);
    expect(bridge.callsOf('servers:add')).toEqual([{ name: 'Den', url: 'http://den:32400', token: TOKEN }]);
    expect(store.getState().servers.map((entry) => entry.name)).toEqual(['Den']);
    expect(store.getState().adding).toBe(false);
    expect(changes()).toBe(1);
    expect(JSON.stringify(store.getState())).not.toContain(TOKEN);
  });

  it('shows a refused token as the add error and saves nothing', async () => {
    const bridge = new FakeBridge({
      'servers:add': () => {
        throw new Refusal('UNAUTHORIZED', 'Plex server "Den" refused the token (401) at http://den:32400/identity');
      },
    });
    const { store, changes } = setup(bridge);
    expect(await store.getState().add({ name: 'Den', url: 'http://den:32400', token: TOKEN })).toBeNull();
    expect(store.getState().addError).toEqual({
      code: 'UNAUTHORIZED',
      message: 'Plex server "Den" refused the token (401) at http://den:32400/identity',
    });
    expect(store.getState().servers).toEqual([]);
    expect(changes()).toBe(0);
    expect(JSON.stringify(store.getState())).not.toContain(TOKEN);
    store.getState().clearAddError();
    expect(store.getState().addError).toBeNull();
  });

  it('sends a new token only when one was typed', async () => {
    const bridge = new FakeBridge({
      'servers:list': () => [server()],
      'servers:update': (input) => server({ name: input.name ?? 'Living room', url: input.url ?? 'http://127.0.0.1:32400' }),
    });
    const { store } = setup(bridge);
    await store.getState().load();
    await store.getState().update(1, { name: 'Lounge', url: 'http://127.0.0.1:32400', token: '  ' });
    await store.getState().update(1, { name: 'Lounge', url: 'http://127.0.0.1:32400', token: TOKEN });
    expect(bridge.callsOf('servers:update')).toEqual([
      { id: 1, name: 'Lounge', url: 'http://127.0.0.1:32400' },
      { id: 1, name: 'Lounge', url: 'http://127.0.0.1:32400', token: TOKEN },
    ]);
    expect(store.getState().servers[0]?.name).toBe('Lounge');
    expect(store.getState().savingId).toBeNull();
  });

  it('keeps an edit error for the dialog', async () => {
    const { store } = setup(
      new FakeBridge({
        'servers:update': () => {
          throw new Refusal('CONFLICT', 'A server called "Den" already exists.');
        },
      }),
    );
    expect(await store.getState().update(1, { name: 'Den' })).toBeNull();
    expect(store.getState().editError?.code).toBe('CONFLICT');
    store.getState().clearEditError();
    expect(store.getState().editError).toBeNull();
  });

  it('toggles active and shows a failed toggle on the row', async () => {
    let refuse = false;
    const bridge = new FakeBridge({
      'servers:list': () => [server()],
      'servers:update': (input) => {
        if (refuse) throw new Refusal('BUSY', 'A sync is running.');
        return server({ active: input.active ?? true });
      },
    });
    const { store } = setup(bridge);
    await store.getState().load();
    await store.getState().setActive(1, false);
    expect(store.getState().servers[0]?.active).toBe(false);
    refuse = true;
    await store.getState().setActive(1, true);
    expect(store.getState().servers[0]?.active).toBe(false);
    expect(store.getState().rowErrors[1]?.code).toBe('BUSY');
  });

  it('removes a server', async () => {
    const { store, changes } = setup(
      new FakeBridge({ 'servers:list': () => [server(), server({ id: 2, name: 'Attic' })], 'servers:remove': () => ({ removed: true }) }),
    );
    await store.getState().load();
    expect(await store.getState().remove(1)).toBe(true);
    expect(store.getState().servers.map((entry) => entry.id)).toEqual([2]);
    expect(changes()).toBe(1);
  });

  it('tests a connection and keeps the answer per server', async () => {
    const { store } = setup(
      new FakeBridge({
        'servers:test': (input) =>
          input.id === 1
            ? { ok: true, machineIdentifier: 'm1', version: '1.40.0', error: null, errorCode: null }
            : { ok: false, machineIdentifier: null, version: null, error: 'connection refused', errorCode: 'PLEX_NETWORK' },
      }),
    );
    const testing = store.getState().test(1);
    expect(store.getState().checks[1]).toEqual({ status: 'testing' });
    await testing;
    await store.getState().test(2);
    expect(store.getState().checks[1]).toMatchObject({ status: 'done', result: { ok: true, version: '1.40.0' } });
    expect(store.getState().checks[2]).toMatchObject({ status: 'done', result: { ok: false, error: 'connection refused' } });
  });
});

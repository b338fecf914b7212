// The renderer's entry: one Api over the bridge, the stores built from it, then the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApi, windowBridge } from './api.js';
import { App } from './App.js';
import { createStores, startStores } from './stores/index.js';
import { StoresProvider } from './stores-context.js';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

try {
  const stores = createStores(createApi(windowBridge()));
  startStores(stores);
  createRoot(root).render(
    <StrictMode>
      <StoresProvider stores={stores}>
        <App />
      </StoresProvider>
    </StrictMode>,
  );
} catch (error) {
  // Without the bridge there is nothing to show but why.
  root.textContent = error instanceof Error ? error.message : String(error);
  root.className = 'fatal';
}

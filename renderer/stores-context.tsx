// Hands the stores to the component tree. Components read state with `useStore(store, selector)` (one
// field per selector or `useShallow`, so a change elsewhere in the store does not re-render them).
import { createContext, useContext, type ReactNode } from 'react';
import type { Stores } from './stores/index.js';

const StoresContext = createContext<Stores | null>(null);

export function StoresProvider({ stores, children }: { stores: Stores; children: ReactNode }) {
  return <StoresContext.Provider value={stores}>{children}</StoresContext.Provider>;
}

export function useStores(): Stores {
  const stores = useContext(StoresContext);
  if (stores === null) throw new Error('useStores outside <StoresProvider>');
  return stores;
}

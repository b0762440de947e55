/** Site-wide settings the server may publish (GET /api/config), fetched once on first use. */
import { useEffect, useState } from 'react';
import { api, type PublicConfig } from '../lib/api.js';

// The only payment provider the server ships is the test one, so without a config endpoint
// we assume demo mode and show the test cards.
const DEFAULTS: PublicConfig = { demo: true };

let cached: PublicConfig | undefined;
let pending: Promise<PublicConfig> | undefined;

function loadConfig(): Promise<PublicConfig> {
  pending ??= api.config().then(
    (c) => (cached = { ...DEFAULTS, ...c }),
    () => (cached = DEFAULTS),
  );
  return pending;
}

export function useSiteConfig(): PublicConfig {
  const [config, setConfig] = useState<PublicConfig>(cached ?? DEFAULTS);
  useEffect(() => {
    if (cached) return;
    let live = true;
    void loadConfig().then((c) => live && setConfig(c));
    return () => {
      live = false;
    };
  }, []);
  return config;
}

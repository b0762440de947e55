import { StrictMode } from 'react';
import { z } from 'zod';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import './i18n/index.js';
import './styles/base.css';
import './styles/components.css';
import './styles/pages.css';
import './styles/buying.css';

// The shared schemas validate forms; no eval-based fast path, so the strict CSP holds.
z.config({ jitless: true });

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

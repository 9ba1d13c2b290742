import { createBackend } from '@backstage/backend-defaults';

// Starts this plugin alone in a Backstage backend. With the root
// app-config.yaml (forecast.sandbox.enabled: true) the sandbox listens on
// 127.0.0.1:4566; run `yarn start` in this folder. For the sandbox without
// Backstage, run `yarn sandbox` instead.

const backend = createBackend();

backend.add(import('../src'));

backend.start();

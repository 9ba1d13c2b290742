import { createBackend } from '@backstage/backend-defaults';
import { permissionPolicyModule } from './permissionPolicyModule';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Scaffolder, with the template editor served by the frontend.
backend.add(import('@backstage/plugin-scaffolder-backend'));

// Guest sign-in for local use.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

backend.add(import('@backstage/plugin-permission-backend'));
// Allows everything except rerunning a Forecast pipeline, which only the
// owners of the workload entity may do.
backend.add(permissionPolicyModule);

// Search with the in-memory Lunr engine and the catalog collator.
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// Events between plugins, such as a finished deployment refreshing the catalog.
backend.add(import('@backstage/plugin-events-backend'));

// Live updates pushed to the frontend, which the app's signals client expects.
backend.add(import('@backstage/plugin-signals-backend'));

// Amazon Forecast pipelines: the offline AWS sandbox (started only when
// forecast.sandbox.enabled is true), the entity page API, the scaffolder
// actions that deploy the stacks and the catalog provider for workloads.
backend.add(import('@forecast-pipelines/forecast-sandbox'));
backend.add(import('@forecast-pipelines/plugin-forecast-backend'));
backend.add(
  import('@forecast-pipelines/plugin-scaffolder-backend-module-forecast'),
);
backend.add(
  import('@forecast-pipelines/plugin-catalog-backend-module-forecast'),
);

backend.start();

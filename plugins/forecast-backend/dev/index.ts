import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';

// Starts this plugin alone, with mocked sign-in and a catalog holding one
// workload entity. Set FORECAST_STACK_ARN to the ARN of a workload stack
// (for example one deployed into the sandbox that the root app-config.yaml
// starts), then run `yarn start` in this folder and try:
//
//   curl localhost:7007/api/forecast/entity/default/component/dev-workload/pipelines
//
// Requests without a token act as the mock user, which the mock permission
// service allows to rerun.

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(
  catalogServiceMock.factory({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'dev-workload',
          annotations: {
            'amazon-forecast/stack-arn': process.env.FORECAST_STACK_ARN ?? '',
            'amazon-forecast/stack-role': 'workload',
          },
        },
        spec: {
          type: 'forecast-workload',
          lifecycle: 'production',
          owner: 'group:default/guests',
        },
      },
    ],
  }),
);

backend.add(import('@forecast-pipelines/forecast-sandbox'));
backend.add(import('../src'));

backend.start();

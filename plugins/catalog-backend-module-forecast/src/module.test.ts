import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { eventsServiceRef, EventsService } from '@backstage/plugin-events-node';
import { FORECAST_STACK_DEPLOYED_TOPIC } from '@forecast-pipelines/plugin-forecast-common';
import request from 'supertest';
import { catalogModuleForecast } from './module';
import { startTestSandbox, TestSandbox } from './__testUtils__/testSandbox';

jest.setTimeout(90_000);

async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('catalogModuleForecast', () => {
  let env: TestSandbox;

  beforeAll(async () => {
    env = await startTestSandbox();
  });

  afterAll(async () => {
    await env?.close();
  });

  it('adds tagged stacks, refreshes on events and removes deleted stacks', async () => {
    await env.createDependencyStack('forecast-dependency');
    await env.createWorkloadStack('forecast-weekly-demand', {
      'forecast-pipelines:role': 'workload',
      'forecast-pipelines:entity-ref': 'component:default/weekly-demand',
      'forecast-pipelines:owner': 'group:default/guests',
      'forecast-pipelines:title': 'Weekly demand',
    });
    await env.createWorkloadStack('unrelated-stack', {});

    let events: EventsService | undefined;
    const captureEvents = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'test-events',
      register({ registerInit }) {
        registerInit({
          deps: { eventsService: eventsServiceRef },
          async init({ eventsService }) {
            events = eventsService;
          },
        });
      },
    });

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleForecast,
        captureEvents,
        mockServices.rootConfig.factory({
          data: {
            ...env.configData,
            catalog: {
              rules: [{ allow: ['Component', 'Resource', 'Location'] }],
              providers: {
                forecast: {
                  accounts: [
                    { accountId: '000000000000', regions: ['us-east-1'] },
                  ],
                  // Long enough that only the first run and events refresh.
                  schedule: {
                    frequency: { hours: 1 },
                    timeout: { minutes: 1 },
                  },
                },
              },
            },
          },
        }),
      ],
    });

    try {
      const byName = (kind: string, name: string) =>
        request(backend.server).get(
          `/api/catalog/entities/by-name/${kind}/default/${name}`,
        );

      const workload = await eventually(async () => {
        const response = await byName('component', 'weekly-demand');
        return response.status === 200 ? response.body : undefined;
      });
      expect(workload.spec).toMatchObject({
        type: 'forecast-workload',
        owner: 'group:default/guests',
        dependsOn: ['resource:default/forecast-dependency'],
      });
      expect(workload.metadata.title).toBe('Weekly demand');
      expect(
        workload.metadata.annotations['amazon-forecast/stack-arn'],
      ).toMatch(
        /^arn:aws:cloudformation:us-east-1:000000000000:stack\/forecast-weekly-demand\//,
      );

      const dependency = await eventually(async () => {
        const response = await byName('resource', 'forecast-dependency');
        return response.status === 200 ? response.body : undefined;
      });
      expect(dependency.spec.type).toBe('forecast-dependency-stack');

      const unrelated = await byName('component', 'unrelated-stack');
      expect(unrelated.status).toBe(404);

      // A deployment event makes the provider list the stacks again at once.
      await env.createWorkloadStack('forecast-daily-sales', {
        'forecast-pipelines:role': 'workload',
        'forecast-pipelines:entity-ref': 'component:default/daily-sales',
        'forecast-pipelines:owner': 'group:default/guests',
      });
      await env.deleteStack('forecast-weekly-demand');
      await events!.publish({
        topic: FORECAST_STACK_DEPLOYED_TOPIC,
        eventPayload: {
          stackId:
            'arn:aws:cloudformation:us-east-1:000000000000:stack/forecast-daily-sales/x',
          stackName: 'forecast-daily-sales',
          role: 'workload',
          accountId: '000000000000',
          region: 'us-east-1',
          status: 'CREATE_COMPLETE',
        },
      });

      await eventually(async () => {
        const response = await byName('component', 'daily-sales');
        return response.status === 200 ? true : undefined;
      });
      await eventually(async () => {
        const response = await byName('component', 'weekly-demand');
        return response.status === 404 ? true : undefined;
      });
    } finally {
      await backend.stop();
    }
  });
});

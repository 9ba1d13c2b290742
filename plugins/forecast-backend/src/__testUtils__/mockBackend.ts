import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import type {
  AuditorServiceEvent,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
import { forecastPlugin } from '../plugin';

export const ACCOUNT = '000000000000';
export const REGION = 'us-east-1';

/** Builds a workload entity annotated with a stack ARN, as the catalog provider writes it. */
export function workloadEntity(
  name: string,
  stackArn: string | undefined,
  owner = 'group:default/guests',
): Entity {
  const annotations: Record<string, string> = {
    'amazon-forecast/stack-role': 'workload',
  };
  if (stackArn) {
    annotations['amazon-forecast/stack-arn'] = stackArn;
  }
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'forecast-workload', lifecycle: 'production', owner },
  };
}

/** Recorded audit events: what was started, and how each ended. */
export interface AuditRecord {
  eventId: string;
  meta?: JsonObject;
  outcome?: { result: 'success' | 'fail'; meta?: JsonObject; error?: Error };
}

export interface TestBackendOptions {
  entities: Entity[];
  endpoint: string;
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  config?: JsonObject;
}

/**
 * Starts a test backend with the forecast plugin, a catalog holding
 * `entities`, AWS clients pointed at `endpoint`, a fixed permission result
 * and an auditor that records its events.
 */
export async function startForecastBackend(
  options: TestBackendOptions,
): Promise<TestBackend & { audits: AuditRecord[]; authorize: jest.Mock }> {
  const audits: AuditRecord[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async ({ eventId, meta }) => {
      const record: AuditRecord = { eventId, meta };
      audits.push(record);
      const event: AuditorServiceEvent = {
        success: async success => {
          record.outcome = { result: 'success', meta: success?.meta };
        },
        fail: async failure => {
          record.outcome = {
            result: 'fail',
            meta: failure.meta,
            error: failure.error,
          };
        },
      };
      return event;
    },
  });

  const authorize = jest.fn(async (requests: unknown[]) =>
    requests.map(() => ({
      result: options.permission ?? AuthorizeResult.ALLOW,
    })),
  );
  const permissions = mockServices.permissions.mock({
    authorize: authorize as PermissionsService['authorize'],
  });

  const backend = await startTestBackend({
    features: [
      forecastPlugin,
      catalogServiceMock.factory({ entities: options.entities }),
      auditor.factory,
      permissions.factory,
      mockServices.rootConfig.factory({
        data: {
          aws: {
            accounts: [
              {
                accountId: ACCOUNT,
                accessKeyId: 'sandbox',
                secretAccessKey: 'sandbox',
              },
            ],
          },
          forecast: {
            aws: {
              accountId: ACCOUNT,
              region: REGION,
              endpoint: options.endpoint,
            },
            ...(options.config ?? {}),
          },
        },
      }),
    ],
  });
  return { ...backend, audits, authorize };
}

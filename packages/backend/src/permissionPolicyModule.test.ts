import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { forecastPipelineExecutePermission } from '@forecast-pipelines/plugin-forecast-common';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { permissionPolicyModule } from './permissionPolicyModule';

const GUEST = 'user:default/guest';

/**
 * The mock HTTP auth service, except that a request carrying a token issued
 * on behalf of a user authenticates as that user with the issuing plugin as
 * actor, as the real services do. The catalog applies permission conditions
 * only for such callers.
 */
const onBehalfOfHttpAuthFactory = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const httpAuth = mockServices.httpAuth({ pluginId: plugin.getId() });
    const credentials: typeof httpAuth.credentials = async (req, options) => {
      const result = await httpAuth.credentials(req, options);
      const header = req.headers.authorization ?? '';
      const principal = result.principal as {
        type: string;
        userEntityRef?: string;
      };
      if (principal.type === 'user' && header.includes('"obo"')) {
        return mockCredentials.user(principal.userEntityRef, {
          actor: { subject: 'plugin:permission' },
        }) as typeof result;
      }
      return result;
    };
    return {
      credentials,
      issueUserCookie: httpAuth.issueUserCookie.bind(httpAuth),
    };
  },
});

const ENTITIES = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: guests-demand
spec: { type: forecast-workload, lifecycle: production, owner: group:default/guests }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: finance-demand
spec: { type: forecast-workload, lifecycle: production, owner: group:default/finance }
`;

describe('permissionPolicyModule', () => {
  let folder: string;

  beforeAll(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'policy-test-'));
    await fs.writeFile(path.join(folder, 'entities.yaml'), ENTITIES);
  });

  afterAll(async () => {
    await fs.rm(folder, { recursive: true, force: true });
  });

  async function startPortal() {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        permissionPlugin,
        permissionPolicyModule,
        onBehalfOfHttpAuthFactory,
        // The guest signs in as a member of group:default/guests, as
        // examples/org.yaml declares, so both refs are ownership claims.
        mockServices.userInfo.mock({
          getUserInfo: async () => ({
            userEntityRef: GUEST,
            ownershipEntityRefs: [GUEST, 'group:default/guests'],
          }),
        }).factory,
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component'] }],
              locations: [
                { type: 'file', target: path.join(folder, 'entities.yaml') },
              ],
              processingInterval: { seconds: 1 },
            },
          },
        }),
      ],
    });

    // Wait for the catalog to ingest the file location.
    for (let attempt = 0; attempt < 60; attempt++) {
      const found = await request(backend.server)
        .get('/api/catalog/entities/by-name/component/default/finance-demand')
        .set('Authorization', mockCredentials.service.header());
      if (found.status === 200) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    return backend;
  }

  async function decide(server: any, resourceRef: string) {
    const response = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(GUEST))
      .send({
        items: [
          {
            id: '1',
            permission: forecastPipelineExecutePermission,
            resourceRef,
          },
        ],
      });
    expect(response.status).toBe(200);
    return response.body.items[0].result;
  }

  it('lets owners rerun and nobody else', async () => {
    const { server } = await startPortal();

    expect(await decide(server, 'component:default/guests-demand')).toBe(
      'ALLOW',
    );
    expect(await decide(server, 'component:default/finance-demand')).toBe(
      'DENY',
    );
  }, 60_000);

  it('allows other permissions', async () => {
    const { server } = await startPortal();

    const response = await request(server)
      .post('/api/permission/authorize')
      .set('Authorization', mockCredentials.user.header(GUEST))
      .send({
        items: [
          {
            id: '1',
            permission: {
              type: 'basic',
              name: 'catalog.entity.create',
              attributes: { action: 'create' },
            },
          },
        ],
      });

    expect(response.status).toBe(200);
    expect(response.body.items[0].result).toBe('ALLOW');
  }, 60_000);
});

import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  forecastPipelineExecutePermission,
  RerunResponse,
} from '@forecast-pipelines/plugin-forecast-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import { AccuracyService } from './AccuracyService';
import { ExportService } from './ExportService';
import { ForecastSeriesService } from './ForecastSeriesService';
import { PipelineService } from './PipelineService';
import { WorkloadResolver } from './WorkloadResolver';
import { WorkloadService } from './WorkloadService';

/** Dependencies of {@link createRouter}. */
export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  resolver: WorkloadResolver;
  workloads: WorkloadService;
  pipelines: PipelineService;
  exports: ExportService;
  series: ForecastSeriesService;
  accuracy: AccuracyService;
  defaultPageSize: number;
}

const ENTITY = '/entity/:namespace/:kind/:name';

const executionsQuery = z.object({
  pipeline: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
  pageToken: z.string().min(1).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).optional(),
});

const seriesQuery = z.object({
  item: z.string().min(1).optional(),
  dimensions: z.string().optional(),
});

const rerunBody = z
  .object({
    input: z.string().optional(),
    force: z.boolean().optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, subject: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues
      .map(issue => `${issue.path.join('.') || subject}: ${issue.message}`)
      .join('; ');
    throw new InputError(`Invalid ${subject}: ${problems}`);
  }
  return result.data;
}

function entityRefOf(req: Request): CompoundEntityRef {
  return {
    kind: req.params.kind,
    namespace: req.params.namespace,
    name: req.params.name,
  };
}

function principalOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/**
 * Builds the REST API of the entity page. Every route resolves its catalog
 * entity with the caller's credentials first, and reads only what belongs to
 * the entity's workload stack.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, auditor, resolver } = options;
  const router = Router();
  router.use(express.json());

  const scopeOf = async (req: Request) => {
    const credentials = await httpAuth.credentials(req);
    return resolver.resolve(entityRefOf(req), credentials);
  };

  router.get(`${ENTITY}/workload`, async (req, res) => {
    res.json(await options.workloads.workload(await scopeOf(req)));
  });

  router.get(`${ENTITY}/pipelines`, async (req, res) => {
    const scope = await scopeOf(req);
    res.json(await options.pipelines.pipelines(scope, options.defaultPageSize));
  });

  router.get(`${ENTITY}/executions`, async (req, res) => {
    const query = parse(executionsQuery, req.query, 'query');
    const scope = await scopeOf(req);
    res.json(
      await options.pipelines.executions(scope, {
        ...query,
        pageSize: query.pageSize ?? options.defaultPageSize,
      }),
    );
  });

  router.get(`${ENTITY}/executions/:executionArn`, async (req, res) => {
    const scope = await scopeOf(req);
    res.json(await options.pipelines.execution(scope, req.params.executionArn));
  });

  router.post(`${ENTITY}/pipelines/:key/rerun`, async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const ref = entityRefOf(req);
    const key = req.params.key;
    const actor = principalOf(credentials);
    const auditEvent = await auditor.createEvent({
      eventId: 'pipeline-rerun',
      severityLevel: 'medium',
      request: req,
      meta: {
        actor,
        entityRef: `${ref.kind}:${ref.namespace}/${ref.name}`.toLocaleLowerCase(
          'en-US',
        ),
        pipeline: key,
        requestedAt: new Date().toISOString(),
      },
    });

    try {
      const body = parse(rerunBody, req.body, 'request body');
      if (body.input !== undefined) {
        try {
          JSON.parse(body.input);
        } catch (error) {
          throw new InputError(
            `Invalid input: it must be JSON text, for example "{}" (${
              (error as Error).message
            })`,
          );
        }
      }

      const scope = await resolver.resolve(ref, credentials);
      const [decision] = await permissions.authorize(
        [
          {
            permission: forecastPipelineExecutePermission,
            resourceRef: scope.entityRef,
          },
        ],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `${actor} may not rerun pipelines of ${scope.entityRef}: the permission policy denies ${forecastPipelineExecutePermission.name}`,
        );
      }

      const execution = await options.pipelines.rerun(scope, key, {
        input: body.input,
        force: body.force,
        userEntityRef: actor,
      });
      await auditEvent.success({
        meta: {
          executionArn: execution.executionArn,
          executionName: execution.name,
          stateMachineArn: execution.stateMachineArn,
          forced: body.force ?? false,
          inputGiven: body.input !== undefined,
        },
      });
      const response: RerunResponse = { execution };
      res.status(201).json(response);
    } catch (error) {
      options.logger.warn(
        `Rerun of pipeline ${key} of ${ref.kind}:${ref.namespace}/${ref.name} by ${actor} failed: ${error}`,
      );
      await auditEvent.fail({ error: error as Error });
      throw error;
    }
  });

  router.get(`${ENTITY}/exports`, async (req, res) => {
    res.json(await options.exports.exports(await scopeOf(req)));
  });

  router.get(`${ENTITY}/exports/file`, async (req, res) => {
    const { key } = parse(
      z.object({ key: z.string().min(1) }),
      req.query,
      'query',
    );
    const scope = await scopeOf(req);
    const file = await options.exports.download(scope, key);
    options.logger.info(`Streaming ${key} of ${scope.entityRef}`);

    res.setHeader('Content-Type', file.contentType);
    // Keys may hold any character; the header takes printable ASCII only.
    const fileName = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
    res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    if (file.contentLength !== undefined) {
      res.setHeader('Content-Length', String(file.contentLength));
    }
    await new Promise<void>((resolve, reject) => {
      file.body.on('error', reject);
      res.on('close', resolve);
      file.body.pipe(res);
    });
  });

  router.get(`${ENTITY}/forecast`, async (req, res) => {
    const query = parse(seriesQuery, req.query, 'query');
    res.json(await options.series.series(await scopeOf(req), query));
  });

  router.get(`${ENTITY}/accuracy`, async (req, res) => {
    res.json(await options.accuracy.accuracy(await scopeOf(req)));
  });

  return router;
}

/*
 * Measures what one workload page view costs: AWS calls on a cold and a warm
 * view, and latency under 50 concurrent viewers compared with the backend's
 * own health route in the same run. The two loads alternate in 5 s slices.
 * Run with `yarn bench` in this package; BENCH_SECONDS sets the seconds of
 * load per route (default 30).
 */
import {
  ListExecutionsCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import autocannon from 'autocannon';
import os from 'node:os';
import {
  callsBetween,
  startCountingProxy,
} from '../src/__testUtils__/countingProxy';
import { workloadEntity } from '../src/__testUtils__/mockBackend';
import {
  deployWorkload,
  startTestSandbox,
} from '../src/__testUtils__/sandboxWorkload';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const EXECUTIONS_PER_MACHINE = 1000;
const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const SLICE_SECONDS = 5;
const ENTITY = '/api/forecast/entity/default/component/weekly-demand';
const PAGE_VIEW = [
  `${ENTITY}/workload`,
  `${ENTITY}/pipelines`,
  `${ENTITY}/executions`,
];
const HEALTH = '/.backstage/health/v1/readiness';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

async function load(baseUrl: string, paths: string[], seconds: number) {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: CONNECTIONS,
        duration: seconds,
        requests: paths.map(path => ({ method: 'GET' as const, path })),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
  });
  return {
    latencies,
    requests: result.requests.total,
    failures: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

type LoadRun = Awaited<ReturnType<typeof load>>;

/**
 * Runs both loads in alternating slices of `SLICE_SECONDS`, so a change in
 * machine load during the run affects both alike, then merges each side.
 */
async function alternate(baseUrl: string, sides: string[][]) {
  const runs: LoadRun[][] = sides.map(() => []);
  for (let elapsed = 0; elapsed < SECONDS; elapsed += SLICE_SECONDS) {
    const seconds = Math.min(SLICE_SECONDS, SECONDS - elapsed);
    for (const [index, paths] of sides.entries()) {
      runs[index].push(await load(baseUrl, paths, seconds));
    }
  }
  return runs.map(parts => {
    const latencies = parts.flatMap(p => p.latencies).sort((a, b) => a - b);
    return {
      requests: parts.reduce((sum, p) => sum + p.requests, 0),
      failures: parts.reduce((sum, p) => sum + p.failures, 0),
      non2xx: parts.reduce((sum, p) => sum + p.non2xx, 0),
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    };
  });
}

async function seed(
  clients: Awaited<ReturnType<typeof startTestSandbox>>,
  machines: string[],
) {
  const started = Date.now();
  for (const stateMachineArn of machines) {
    for (let batch = 0; batch < EXECUTIONS_PER_MACHINE; batch += 25) {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          clients.stepFunctions.send(
            new StartExecutionCommand({
              stateMachineArn,
              name: `seed-${batch + i}`,
              input: JSON.stringify({ wait: 0, run: batch + i }),
            }),
          ),
        ),
      );
    }
  }

  // Let every execution finish, so the sandbox is idle during the load runs.
  for (const stateMachineArn of machines) {
    for (;;) {
      const running = await clients.stepFunctions.send(
        new ListExecutionsCommand({
          stateMachineArn,
          statusFilter: 'RUNNING',
          maxResults: 1,
        }),
      );
      if (!running.executions?.length) {
        break;
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }
  return Date.now() - started;
}

async function main() {
  console.log(
    `Host: ${os.cpus().length} x ${os.cpus()[0]?.model}, Node ${
      process.version
    }; ${CONNECTIONS} connections, ${SECONDS} s per load run`,
  );
  const clients = await startTestSandbox();
  const proxy = await startCountingProxy(clients.sandbox.endpoint);

  const workload = await deployWorkload(
    clients,
    'forecast-weekly-demand',
    'component:default/weekly-demand',
    true,
  );
  const machines = Object.entries(workload.outputs)
    .filter(([key]) => key.endsWith('StateMachineArn'))
    .map(([, arn]) => arn);
  const seedMs = await seed(clients, machines);
  console.log(
    `Seeded ${
      machines.length
    } state machines x ${EXECUTIONS_PER_MACHINE} executions in ${(
      seedMs / 1000
    ).toFixed(1)} s`,
  );

  const port = 20000 + Math.floor(Math.random() * 20000);
  const baseUrl = `http://127.0.0.1:${port}`;
  const backend = createBackend();
  backend.add(
    mockServices.rootConfig.factory({
      data: {
        backend: { baseUrl, listen: { host: '127.0.0.1', port } },
        aws: {
          accounts: [
            {
              accountId: '000000000000',
              accessKeyId: 'sandbox',
              secretAccessKey: 'sandbox',
            },
          ],
        },
        forecast: {
          aws: {
            accountId: '000000000000',
            region: 'us-east-1',
            endpoint: proxy.endpoint,
          },
        },
      },
    }),
  );
  backend.add(mockServices.rootLogger.factory({ level: 'warn' }));
  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(
    catalogServiceMock.factory({
      entities: [workloadEntity('weekly-demand', workload.stackArn)],
    }),
  );
  backend.add(import('../src'));
  await backend.start();

  const view = async () => {
    const before = proxy.snapshot();
    for (const path of PAGE_VIEW) {
      const response = await fetch(`${baseUrl}${path}`);
      if (!response.ok) {
        throw new Error(
          `${path} returned ${response.status}: ${await response.text()}`,
        );
      }
      await response.arrayBuffer();
    }
    return callsBetween(before, proxy.snapshot());
  };
  const cold = await view();
  const warm = await view();
  console.log(
    '\nAWS calls per page view (GET workload, pipelines, executions):',
  );
  console.log(`  cold: ${cold.total} ${JSON.stringify(cold.calls)}`);
  console.log(`  warm: ${warm.total} ${JSON.stringify(warm.calls)}`);
  const listCalls = cold.calls.ListExecutions ?? 0;
  console.log(
    `  target: at most ${machines.length} ListExecutions cold (${listCalls}), 0 calls warm (${warm.total})`,
  );

  const beforeLoad = proxy.snapshot();
  const [health, forecast] = await alternate(baseUrl, [[HEALTH], PAGE_VIEW]);
  const loadCalls = callsBetween(beforeLoad, proxy.snapshot());

  console.log(
    `\nLatency, ${CONNECTIONS} concurrent viewers for ${SECONDS} s (ms):`,
  );
  console.log(
    '  route             requests   p50   p95   p99  errors  non-2xx',
  );
  for (const [name, r] of [
    ['health', health],
    ['page view routes', forecast],
  ] as const) {
    console.log(
      `  ${name.padEnd(16)} ${String(r.requests).padStart(9)} ${r.p50
        .toFixed(0)
        .padStart(5)} ${r.p95.toFixed(0).padStart(5)} ${r.p99
        .toFixed(0)
        .padStart(5)} ${String(r.failures).padStart(7)} ${String(
        r.non2xx,
      ).padStart(8)}`,
    );
  }
  const ratio = forecast.p95 / Math.max(health.p95, 1);
  console.log(
    `  p95 ratio page view / health: ${ratio.toFixed(
      2,
    )} (target <= 3); AWS calls during the load run: ${
      loadCalls.total
    } ${JSON.stringify(loadCalls.calls)}`,
  );

  await backend.stop();
  // Requests still in flight at shutdown may reach the proxy for a moment.
  await new Promise(resolve => setTimeout(resolve, 500));
  await proxy.close();
  await clients.close();
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});

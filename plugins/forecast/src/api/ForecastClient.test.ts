import { ResponseError } from '@backstage/errors';
import { ForecastClient } from './ForecastClient';

const entity = {
  kind: 'Component',
  namespace: 'default',
  name: 'weekly-demand',
};
const base =
  'http://localhost:7007/api/forecast/entity/default/component/weekly-demand';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function createClient(response: () => Response) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    response(),
  );
  const getBaseUrl = jest.fn(async () => 'http://localhost:7007/api/forecast');
  const client = new ForecastClient({
    discoveryApi: { getBaseUrl },
    fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
  });
  return { client, fetch, getBaseUrl };
}

describe('ForecastClient', () => {
  it('reads the workload of the entity', async () => {
    const { client, fetch, getBaseUrl } = createClient(() =>
      jsonResponse({ stackName: 'forecast-weekly-demand' }),
    );
    await expect(client.getWorkload(entity)).resolves.toEqual({
      stackName: 'forecast-weekly-demand',
    });
    expect(getBaseUrl).toHaveBeenCalledWith('forecast');
    expect(fetch).toHaveBeenCalledWith(`${base}/workload`);
  });

  it('passes execution filters and the page token', async () => {
    const { client, fetch } = createClient(() =>
      jsonResponse({ executions: [] }),
    );
    await client.getExecutions(entity, {
      pipeline: 'import-data',
      status: 'FAILED',
      pageToken: 'a/b+c',
      pageSize: 20,
    });
    await client.getExecutions(entity);
    expect(fetch.mock.calls[0][0]).toBe(
      `${base}/executions?pipeline=import-data&status=FAILED&pageToken=a%2Fb%2Bc&pageSize=20`,
    );
    expect(fetch.mock.calls[1][0]).toBe(`${base}/executions`);
  });

  it('encodes the execution ARN in the path', async () => {
    const { client, fetch } = createClient(() => jsonResponse({ steps: [] }));
    const arn =
      'arn:aws:states:us-east-1:000000000000:execution:forecast-weekly-demand-workflow:run/1';
    await client.getExecution(entity, arn);
    expect(fetch.mock.calls[0][0]).toBe(
      `${base}/executions/${encodeURIComponent(arn)}`,
    );
    expect(fetch.mock.calls[0][0]).toContain('arn%3Aaws%3Astates');
  });

  it('posts a rerun with its JSON body', async () => {
    const { client, fetch } = createClient(() =>
      jsonResponse({ execution: { name: 'rerun-1' } }),
    );
    const response = await client.rerunPipeline(entity, 'workflow', {
      input: '{}',
      force: true,
    });
    expect(response.execution.name).toBe('rerun-1');
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`${base}/pipelines/workflow/rerun`);
    expect(init?.method).toBe('POST');
    expect(init?.headers).toEqual({ 'Content-Type': 'application/json' });
    expect(JSON.parse(String(init?.body))).toEqual({
      input: '{}',
      force: true,
    });
  });

  it('asks for an item and dimensions', async () => {
    const { client, fetch } = createClient(() => jsonResponse({}));
    await client.getForecast(entity, {
      item: 'item 1',
      dimensions: { location: 'berlin', channel: 'web' },
    });
    expect(fetch.mock.calls[0][0]).toBe(
      `${base}/forecast?item=item+1&dimensions=location%3Dberlin%2Cchannel%3Dweb`,
    );
  });

  it('downloads an export file as a blob', async () => {
    const { client, fetch } = createClient(
      () => new Response('item_id,date,p50\n', { status: 200 }),
    );
    const blob = await client.downloadExportFile(
      entity,
      'forecast-weekly-demand/forecast-exports/run 1/part0.csv',
    );
    expect(await blob.text()).toBe('item_id,date,p50\n');
    expect(fetch.mock.calls[0][0]).toBe(
      `${base}/exports/file?key=forecast-weekly-demand%2Fforecast-exports%2Frun+1%2Fpart0.csv`,
    );
  });

  it('throws a ResponseError with the backend message', async () => {
    const { client } = createClient(() =>
      jsonResponse(
        {
          error: { name: 'ConflictError', message: 'workflow is RUNNING' },
          response: { statusCode: 409 },
        },
        409,
      ),
    );
    const error = await client
      .rerunPipeline(entity, 'workflow', {})
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(409);
    expect(error.cause.message).toBe('workflow is RUNNING');
  });

  it('rejects a failed download', async () => {
    const { client } = createClient(() =>
      jsonResponse(
        {
          error: { name: 'NotFoundError', message: 'No such key' },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    await expect(client.downloadExportFile(entity, 'x')).rejects.toThrow(/404/);
  });
});

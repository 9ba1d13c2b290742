import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  paginateGetParametersByPath,
  PutParameterCommand,
} from '@aws-sdk/client-ssm';
import {
  startTestSandbox,
  type TestSandbox,
} from '../__testUtils__/testSandbox';

describe('SSM', () => {
  let test: TestSandbox;

  beforeAll(async () => {
    test = await startTestSandbox();
  });

  afterAll(async () => {
    await test.stop();
  });

  it('puts, overwrites and reads parameters', async () => {
    const { ssm } = test.clients;
    const first = await ssm.send(
      new PutParameterCommand({ Name: '/app/one', Value: 'a', Type: 'String' }),
    );
    expect(first.Version).toBe(1);
    await expect(
      ssm.send(
        new PutParameterCommand({
          Name: '/app/one',
          Value: 'b',
          Type: 'String',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ParameterAlreadyExists',
      message: expect.stringContaining('/app/one already exists'),
    });
    const second = await ssm.send(
      new PutParameterCommand({
        Name: '/app/one',
        Value: 'b',
        Overwrite: true,
      }),
    );
    expect(second.Version).toBe(2);

    const { Parameter } = await ssm.send(
      new GetParameterCommand({ Name: '/app/one' }),
    );
    expect(Parameter).toMatchObject({
      Name: '/app/one',
      Value: 'b',
      Type: 'String',
      Version: 2,
    });
    expect(Parameter!.ARN).toBe(
      'arn:aws:ssm:us-east-1:000000000000:parameter/app/one',
    );
    expect(Parameter!.LastModifiedDate).toBeInstanceOf(Date);

    const batch = await ssm.send(
      new GetParametersCommand({ Names: ['/app/one', '/app/none'] }),
    );
    expect(batch.Parameters!.map(p => p.Name)).toEqual(['/app/one']);
    expect(batch.InvalidParameters).toEqual(['/app/none']);
  });

  it('lists by path, recursively and in pages', async () => {
    const { ssm } = test.clients;
    for (const name of [
      '/tree/a',
      '/tree/b',
      '/tree/sub/c',
      '/tree/sub/deeper/d',
      '/other/e',
    ]) {
      await ssm.send(
        new PutParameterCommand({ Name: name, Value: name, Type: 'String' }),
      );
    }
    const flat = await ssm.send(
      new GetParametersByPathCommand({ Path: '/tree' }),
    );
    expect(flat.Parameters!.map(p => p.Name)).toEqual(['/tree/a', '/tree/b']);

    const names: string[] = [];
    for await (const page of paginateGetParametersByPath(
      { client: ssm, pageSize: 2 },
      { Path: '/tree/', Recursive: true },
    )) {
      expect(page.Parameters!.length).toBeLessThanOrEqual(2);
      names.push(...page.Parameters!.map(p => p.Name!));
    }
    expect(names).toEqual([
      '/tree/a',
      '/tree/b',
      '/tree/sub/c',
      '/tree/sub/deeper/d',
    ]);
  });

  it('raises ParameterNotFound and validation errors', async () => {
    const { ssm } = test.clients;
    await expect(
      ssm.send(new GetParameterCommand({ Name: '/missing' })),
    ).rejects.toMatchObject({
      name: 'ParameterNotFound',
      message: expect.stringContaining('/missing'),
    });
    await ssm.send(
      new PutParameterCommand({ Name: '/gone', Value: 'x', Type: 'String' }),
    );
    await ssm.send(new DeleteParameterCommand({ Name: '/gone' }));
    await expect(
      ssm.send(new DeleteParameterCommand({ Name: '/gone' })),
    ).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await expect(
      ssm.send(
        new PutParameterCommand({
          Name: 'bad name!',
          Value: 'x',
          Type: 'String',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('Invalid parameter name "bad name!"'),
    });
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DiskObjectStore } from './DiskObjectStore';

describe('DiskObjectStore', () => {
  let root: string;
  let store: DiskObjectStore;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'objects-'));
    store = new DiskObjectStore(root);
    await store.createBucket('data');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stores and lists objects byte for byte', async () => {
    const body = Buffer.from([0, 1, 2, 255]);
    await store.putObject('data', 'in/a.bin', body);
    await store.putObject('data', 'out/b.csv', Buffer.from('x'));

    const object = await store.getObject('data', 'in/a.bin');
    expect(object.body.equals(body)).toBe(true);
    expect(object.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await store.listObjects('data', 'in/')).map(o => o.key)).toEqual([
      'in/a.bin',
    ]);
  });

  it('raises NoSuchKey and NoSuchBucket', async () => {
    await expect(store.getObject('data', 'missing')).rejects.toMatchObject({
      code: 'NoSuchKey',
      statusCode: 404,
    });
    await expect(store.listObjects('nope')).rejects.toMatchObject({
      code: 'NoSuchBucket',
    });
  });

  it('rejects keys that leave the bucket', async () => {
    await expect(
      store.putObject('data', '../escape', Buffer.from('x')),
    ).rejects.toMatchObject({ code: 'InvalidArgument' });
  });
});

import path from 'node:path';
import { validateDefinition } from './aslValidator';

const VALID = {
  StartAt: 'A',
  States: { A: { Type: 'Pass', Parameters: { 'x.$': '$.y' }, End: true } },
};
const BAD_PATH = {
  StartAt: 'A',
  States: { A: { Type: 'Pass', Parameters: { 'x.$': '$$bad[' }, End: true } },
};
const BAD_ARN = {
  StartAt: 'A',
  States: { A: { Type: 'Task', Resource: 'not-an-arn', End: true } },
};

describe('validateDefinition', () => {
  it('reports the same results on every call', () => {
    for (let round = 0; round < 3; round++) {
      expect(validateDefinition(structuredClone(VALID)).isValid).toBe(true);
      const badPath = validateDefinition(structuredClone(BAD_PATH));
      expect(badPath.isValid).toBe(false);
      expect(badPath.errorsText()).toContain('asl_payload_template');
      const badArn = validateDefinition(structuredClone(BAD_ARN));
      expect(badArn.isValid).toBe(false);
      expect(badArn.errorsText()).toContain('/States/A/Resource');
    }
  });

  it('leaves the Ajv class of other callers alone', () => {
    const ajvPath = require.resolve('ajv', {
      paths: [path.dirname(require.resolve('asl-validator'))],
    });
    const ajvModule = require(ajvPath);
    const before = ajvModule.default;

    validateDefinition(structuredClone(VALID));

    expect(ajvModule.default).toBe(before);
    const Ajv = ajvModule.default;
    const other = new Ajv();
    expect(other.validate({ type: 'number' }, 1)).toBe(true);
  });
});

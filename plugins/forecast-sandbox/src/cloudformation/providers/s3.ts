import { AwsServiceError } from '../../core/errors';
import { checkBucketName } from '../../s3/S3Api';
import { generatedName, optionalString } from './names';
import type { ProviderServices, ResourceProvider } from './types';

export function bucketProvider({
  objects,
}: ProviderServices): ResourceProvider {
  return {
    attributes: [
      'Arn',
      'DomainName',
      'RegionalDomainName',
      'DualStackDomainName',
      'WebsiteURL',
    ],
    replacementProperties: ['BucketName'],
    async create(properties, context) {
      const name =
        optionalString(properties, 'BucketName') ??
        generatedName(context.stackName, context.logicalId, 63, {
          lowercase: true,
        });
      checkBucketName(name);
      if (await objects.bucketExists(name)) {
        throw new AwsServiceError(
          'BucketAlreadyExists',
          `${name} already exists. Bucket names are unique: pick another BucketName, or use the existing bucket without creating it.`,
        );
      }
      await objects.createBucket(name);
      return {
        physicalId: name,
        attributes: {
          Arn: `arn:aws:s3:::${name}`,
          DomainName: `${name}.s3.amazonaws.com`,
          RegionalDomainName: `${name}.s3.${context.region}.amazonaws.com`,
          DualStackDomainName: `${name}.s3.dualstack.${context.region}.amazonaws.com`,
          WebsiteURL: `http://${name}.s3-website-${context.region}.amazonaws.com`,
        },
      };
    },
    // Encryption, lifecycle and the like are recorded with the stack but not applied.
    update: async state => state,
    async delete(state) {
      if (await objects.bucketExists(state.physicalId)) {
        await objects.deleteBucket(state.physicalId);
      }
    },
  };
}

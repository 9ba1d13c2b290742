import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Finds Amazon Forecast workload and dependency stacks by their
       * `forecast-pipelines:role` tag and adds them to the catalog.
       */
      forecast?: {
        /**
         * Accounts and regions to search. Defaults to forecast.aws.accountId
         * and forecast.aws.region. Credentials for each account come from the
         * `aws` config block of @backstage/integration-aws-node.
         * @visibility backend
         */
        accounts?: Array<{
          /**
           * AWS account ID.
           * @visibility backend
           */
          accountId: string;
          /**
           * Regions of this account to search.
           * @visibility backend
           */
          regions: string[];
        }>;
        /**
         * How often the stacks are listed. Defaults to every 30 minutes, with
         * a 3-minute timeout. A deployment through the scaffolder actions
         * also triggers a refresh of its account and region at once.
         * @visibility backend
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * Owner for stacks without a `forecast-pipelines:owner` tag.
         * Defaults to `unknown`.
         * @visibility backend
         */
        defaultOwner?: string;
      };
    };
  };
}

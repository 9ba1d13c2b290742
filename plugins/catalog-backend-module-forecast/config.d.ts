import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * ForecastProvider configuration.
       */
      forecastProvider?:
        | {
            /**
             * The target that this provider should consume.
             */
            target: string;
            /**
             * Overrides the schedule at which this provider runs.
             */
            schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
          }
        | {
            [name: string]: {
              /**
               * The target that this provider should consume.
               */
              target: string;
              /**
               * Overrides the schedule at which this provider runs.
               */
              schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
            };
          };
    };
  };
}

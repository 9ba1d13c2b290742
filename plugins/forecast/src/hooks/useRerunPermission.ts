import { usePermission } from '@backstage/plugin-permission-react';
import { forecastPipelineExecutePermission } from '@forecast-pipelines/plugin-forecast-common';

/**
 * Whether the signed-in user may start pipelines of the workload entity.
 * The backend checks the same permission again on every rerun.
 */
export function useRerunPermission(entityRef: string): {
  loading: boolean;
  allowed: boolean;
} {
  const { loading, allowed } = usePermission({
    permission: forecastPipelineExecutePermission,
    resourceRef: entityRef,
  });
  return { loading, allowed };
}

import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import ReplayIcon from '@material-ui/icons/Replay';

/** Explains a disabled Rerun button to users without the permission. */
export const RERUN_DENIED_MESSAGE =
  'You do not have the forecast.pipeline.execute permission on this workload. Ask its owner or a portal administrator for access.';

/**
 * The Rerun button of one pipeline. Disabled with a tooltip while the
 * permission is checked and when the user lacks it.
 */
export const RerunButton = (props: {
  pipelineTitle: string;
  permission: { loading: boolean; allowed: boolean };
  onClick: () => void;
}) => {
  const { pipelineTitle, permission, onClick } = props;
  const button = (
    <Button
      variant="outlined"
      size="small"
      color="primary"
      startIcon={<ReplayIcon />}
      disabled={!permission.allowed}
      onClick={onClick}
      aria-label={`Rerun ${pipelineTitle}`}
      style={{ whiteSpace: 'nowrap' }}
    >
      Rerun
    </Button>
  );
  if (permission.allowed) {
    return button;
  }
  // A disabled button fires no mouse events, so the tooltip wraps a span.
  return (
    <Tooltip
      title={
        permission.loading ? 'Checking your permissions…' : RERUN_DENIED_MESSAGE
      }
    >
      <span>{button}</span>
    </Tooltip>
  );
};

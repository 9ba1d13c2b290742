import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { ResponseErrorPanel } from '@backstage/core-components';
import { describeError } from '../../lib/describeError';

/** A failed request with the backend's error and a button to try again. */
export const ErrorWithRetry = (props: {
  error: Error;
  onRetry: () => void;
}) => (
  <>
    <ResponseErrorPanel
      error={props.error}
      title={describeError(props.error)}
    />
    <Box marginTop={1}>
      <Button variant="outlined" size="small" onClick={props.onRetry}>
        Try again
      </Button>
    </Box>
  </>
);

/** An empty card: what is missing and what to do about it. */
export const EmptyCardContent = (props: {
  title: string;
  children: ReactNode;
}) => (
  <Box paddingY={2}>
    <Typography variant="subtitle1" gutterBottom>
      {props.title}
    </Typography>
    <Typography variant="body2" color="textSecondary" component="div">
      {props.children}
    </Typography>
  </Box>
);

import { ReactNode } from 'react';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

/** A labelled value in a card, laid out like the catalog's About card. */
export const AboutField = (props: {
  label: string;
  gridSizes?: { xs?: 12 | 6; sm?: 12 | 6 | 4; lg?: 12 | 6 | 4 };
  children: ReactNode;
}) => {
  const { label, gridSizes, children } = props;
  return (
    <Grid item {...(gridSizes ?? { xs: 12, sm: 6 })}>
      <Typography
        variant="subtitle2"
        color="textSecondary"
        component="h3"
        gutterBottom
      >
        {label}
      </Typography>
      <Typography variant="body2" component="div">
        {children}
      </Typography>
    </Grid>
  );
};

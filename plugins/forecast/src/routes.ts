import { createRouteRef } from '@backstage/core-plugin-api';

/** Route of the Forecast tab on an entity page. */
export const rootRouteRef = createRouteRef({
  id: 'forecast',
});

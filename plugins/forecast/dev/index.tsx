import { createDevApp } from '@backstage/dev-utils';
import { forecastPlugin, ForecastPage } from '../src/plugin';

createDevApp()
  .registerPlugin(forecastPlugin)
  .addPage({
    element: <ForecastPage />,
    title: 'Root Page',
    path: '/forecast',
  })
  .render();
